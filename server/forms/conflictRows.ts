import { formatDate } from '../../checks/londonDates.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { ChecklistTemplate } from '../../checks/templateTypes.js';
import { fieldLabel, fieldLabels } from './fieldLabels.js';

/** One row of the conflict page: the label the form showed, and the value as a person reads it. */
export interface ConflictRow {
  key: string;
  value: string;
}

/** Fields that are not something a person typed or chose. */
const INTERNAL = new Set(['_csrf', 'id', 'version', 'createdAt', 'updatedAt', 'intent', 'confirmAll']);
const isInternal = (key: string) =>
  INTERNAL.has(key) ||
  /(Id|Ids|Hash)$/.test(key) ||
  /^confirm-/.test(key) ||
  key === 'passwordHash' ||
  key.startsWith('_');

const ANSWER_TEXT: Record<string, string> = { yes: 'Yes', no: 'No', na: 'Not applicable' };

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(show).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const named = (value as { name?: unknown }).name;
    return typeof named === 'string' ? named : JSON.stringify(value);
  }
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text);
  return ANSWER_TEXT[text] ?? text;
}

/** A record's fields, nested objects flattened to dotted keys (`filtering.iwf.confirmed`). */
function flatten(record: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(record)) {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flatten(v as Record<string, unknown>, `${key}.`));
    else out.push([key, v]);
  }
  return out;
}

/** A form's fields, a date's day, month and year fields read as one date. */
function formFields(body: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(body)) {
    const part = /^(.*)-(day|month|year)$/.exec(key);
    if (!part) {
      out.push([key, value]);
      continue;
    }
    if (part[2] !== 'day') continue;
    const [d = '', m = '', y = ''] = ['day', 'month', 'year'].map((p) =>
      String(body[`${part[1]}-${p}`] ?? '').trim(),
    );
    const iso =
      /^\d{4}$/.test(y) && /^\d{1,2}$/.test(m) && /^\d{1,2}$/.test(d)
        ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
        : [d, m, y].filter(Boolean).join(' ');
    out.push([part[1] ?? '', iso]);
  }
  return out;
}

/** A review's answers as the form shows them: one row per question, answer and its note or reason. */
function answerRows(template: ChecklistTemplate, answerOf: (id: string) => { answer: string; note: string }) {
  return template.questions.map((q) => {
    const { answer, note } = answerOf(q.id);
    const value = [ANSWER_TEXT[answer] ?? '', note].filter(Boolean).join(' — ');
    return { key: `${q.id}. ${q.text}`, value };
  });
}

function templateOf(record: Record<string, unknown>): ChecklistTemplate | null {
  try {
    return getTemplate(String(record.templateId), Number(record.templateVersion));
  } catch {
    return null;
  }
}

/**
 * Both sides of a conflict in the words of the form: what this user sent (`body`) and the latest saved
 * record (`current`) of `collection`, each row keyed by its label so the page can line them up.
 */
export function conflictRows(
  collection: string,
  current: Record<string, unknown>,
  body: Record<string, unknown>,
): { yours: ConflictRow[]; theirs: ConflictRow[] } {
  const template = collection === 'reviews' ? templateOf(current) : null;
  const label = (key: string) => fieldLabel(collection, key);
  // Where the form is known, the saved side shows the fields it edits; otherwise every field.
  const named = fieldLabels[collection];

  const yours: ConflictRow[] = formFields(body)
    .filter(([key]) => !isInternal(key) && !(template && /^(answer|comment)-/.test(key)))
    .map(([key, value]) => ({ key: label(key), value: show(value) }));
  const theirs: ConflictRow[] = flatten(current)
    .filter(([key]) => !isInternal(key) && (!named || key in named))
    .map(([key, value]) => ({ key: label(key), value: show(value) }));

  if (template) {
    const answers = (current.answers ?? {}) as Record<
      string,
      { answer?: string; note?: string; reason?: string }
    >;
    theirs.unshift(
      ...answerRows(template, (id) => ({
        answer: answers[id]?.answer ?? '',
        note: answers[id]?.reason ?? answers[id]?.note ?? '',
      })),
    );
    yours.unshift(
      ...answerRows(template, (id) => ({
        answer: String(body[`answer-${id}`] ?? ''),
        note: String(body[`comment-${id}`] ?? ''),
      })),
    );
  }
  return { yours, theirs };
}
