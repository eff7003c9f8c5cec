import { statusText } from '../../checks/bookingRules.js';
import { formatDate } from '../../checks/londonDates.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { ChecklistTemplate } from '../../checks/templateTypes.js';
import { fieldLabel, fieldLabels, referenceCollections } from './fieldLabels.js';

/** One field that differs: the label the form showed, the person's value and the saved one, in words. */
export interface ConflictRow {
  key: string;
  yours: string;
  theirs: string;
}

/** Fields that are not something a person typed or chose. */
const INTERNAL = new Set(['_csrf', 'id', 'version', 'createdAt', 'updatedAt', 'intent', 'confirmAll']);
const isInternal = (key: string) =>
  INTERNAL.has(key) ||
  /(Id|Ids|Hash)$/.test(key) ||
  /^confirm-/.test(key) ||
  key === 'passwordHash' ||
  key.startsWith('_');

/**
 * Fields a form sends that its record does not hold (the booking form's hirer details are saved on the
 * hirer; a decision's reasons on the decision), so there is nothing saved to compare them with.
 */
const ELSEWHERE: Record<string, RegExp> = {
  bookings:
    /^(hirerName|organisation|otherNames|charityNumber|companyNumber|hirerEmail|hirerPhone|hirerAddress|rationale|conditions|reasonForHirer|(.+-)?(expression|equality|alternatives))$/,
};

/** The booking form's names for its hirer's fields, where they differ from the hirer record's. */
const HIRER_FORM_NAMES: Record<string, string> = {
  hirerName: 'name',
  hirerEmail: 'email',
  hirerPhone: 'phone',
  hirerAddress: 'address',
};

/** Repeated items of a form (`speaker-0-name`): one missing on either side is blank there. */
const LIST_ITEM = /^speaker-(\d+)-(name|aliases|affiliation)$/;
const LIST_ITEM_LABEL: Record<string, string> = {
  name: 'name',
  aliases: 'other names',
  affiliation: 'affiliation',
};

const ANSWER_TEXT: Record<string, string> = { yes: 'Yes', no: 'No', na: 'Not applicable' };
/** Chosen values as the form offered them (a booking's status and decision). */
const CHOICE_TEXT: Record<string, Record<string, string>> = {
  status: statusText,
  decision: statusText,
};

/** "7pm", "7:30pm". */
function timeText(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** A value as a person reads it: dates and times in words, choices by their text, lists joined. */
export function humanValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value))
    return value
      .map((v) => humanValue(key, v))
      .filter(Boolean)
      .join(', ');
  if (typeof value === 'object') {
    const named = (value as { name?: unknown }).name;
    return typeof named === 'string' ? named : '';
  }
  const text = String(value).trim();
  const choice = CHOICE_TEXT[key.split('.').at(-1) ?? key]?.[text];
  if (choice) return choice;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text);
  const at = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(text);
  if (at?.[1] && at[2]) return `${formatDate(at[1])}, ${timeText(at[2])}`;
  if (/^\d{2}:\d{2}$/.test(text)) return timeText(text);
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
function formFields(body: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    const part = /^(.*)-(day|month|year)$/.exec(key);
    if (!part?.[1]) {
      out.set(key, value);
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
    out.set(part[1], iso);
  }
  return out;
}

/** A record's fields under the names its form uses, where they differ (a booking's start, its speakers). */
function recordFields(collection: string, current: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>(flatten(current));
  if (collection === 'hirers') {
    // As the booking form names them (its hirer section saves onto the hirer).
    for (const [form, field] of Object.entries(HIRER_FORM_NAMES)) out.set(form, current[field]);
    return out;
  }
  if (collection !== 'bookings') return out;
  for (const side of ['start', 'end']) {
    const at = String(current[side] ?? '');
    out.set(side, at.slice(0, 10));
    out.set(`${side}Time`, at.slice(11));
  }
  out.set('decision', current.status);
  const speakers = Array.isArray(current.speakers) ? current.speakers : [];
  speakers.forEach((s: { name?: string; aliases?: string[]; affiliation?: string | null }, i) => {
    out.set(`speaker-${i}-name`, s.name ?? '');
    out.set(`speaker-${i}-aliases`, (s.aliases ?? []).join('; '));
    out.set(`speaker-${i}-affiliation`, s.affiliation ?? '');
  });
  return out;
}

/** The booking form's own reading of what was sent: an end date left blank is the start date. */
function formView(collection: string, body: Record<string, unknown>): Map<string, unknown> {
  const fields = formFields(body);
  if (collection === 'bookings' && fields.has('start') && !fields.get('end'))
    fields.set('end', fields.get('start'));
  if (collection === 'hirers') {
    // The booking form's other names: one per row (add-another), or one per line.
    const rows = [...fields.keys()].filter((k) => /^otherName-\d+$/.test(k));
    const names = rows.length
      ? rows.map((k) => String(fields.get(k) ?? ''))
      : String(fields.get('otherNames') ?? '').split(/\r?\n/);
    for (const k of rows) fields.delete(k);
    fields.set('otherNames', names.map((n) => n.trim()).filter(Boolean));
  }
  for (const [key, value] of fields) {
    const item = LIST_ITEM.exec(key);
    if (item?.[2] === 'aliases')
      fields.set(
        key,
        String(value ?? '')
          .split(';')
          .map((a) => a.trim())
          .filter(Boolean)
          .join('; '),
      );
  }
  return fields;
}

function labelOf(collection: string, key: string): string {
  const item = LIST_ITEM.exec(key);
  if (item?.[1] && item[2]) return `Speaker ${Number(item[1]) + 1} ${LIST_ITEM_LABEL[item[2]] ?? item[2]}`;
  return fieldLabel(collection, key);
}

function templateOf(record: Record<string, unknown>): ChecklistTemplate | null {
  try {
    return getTemplate(String(record.templateId), Number(record.templateVersion));
  } catch {
    return null;
  }
}

/** A review's questions that the form sent and that differ, each with its answer and note in words. */
function answerRows(
  template: ChecklistTemplate,
  current: Record<string, unknown>,
  body: Record<string, unknown>,
): ConflictRow[] {
  const saved = (current.answers ?? {}) as Record<
    string,
    { answer?: string; note?: string; reason?: string }
  >;
  const text = (answer: string, note: string) =>
    [ANSWER_TEXT[answer] ?? '', note].filter(Boolean).join(' — ');
  const rows: ConflictRow[] = [];
  for (const q of template.questions) {
    if (!(`answer-${q.id}` in body) && !(`comment-${q.id}` in body)) continue;
    const yours = text(String(body[`answer-${q.id}`] ?? ''), String(body[`comment-${q.id}`] ?? '').trim());
    const a = saved[q.id];
    const theirs = text(a?.answer ?? '', a?.reason ?? a?.note ?? '');
    if (yours !== theirs) rows.push({ key: `${q.id}. ${q.text}`, yours, theirs });
  }
  return rows;
}

/**
 * The fields of a conflict that differ, in the words of the form: what this user sent (`body`) against
 * the latest saved record (`current`) of `collection`. Only fields the form sent and the record holds
 * (or a form's repeated items, blank where one side has fewer) are compared; each is shown by its label
 * with both values in human formats, a chosen record (a hall, libraries) by its name.
 */
export function conflictRows(
  collection: string,
  current: Record<string, unknown>,
  body: Record<string, unknown>,
  /**
   * The name of a record a chosen reference points to (a booking's hall, a manager's libraries): with it,
   * such choices are compared too, by name. Without it they are left out, as ids mean nothing to people.
   */
  nameOf?: (collection: string, id: string) => string,
): ConflictRow[] {
  const template = collection === 'reviews' ? templateOf(current) : null;
  const named = fieldLabels[collection];
  const elsewhere = ELSEWHERE[collection];
  const mine = formView(collection, body);
  const saved = recordFields(collection, current);
  const rows: ConflictRow[] = template ? answerRows(template, current, body) : [];
  // Saved repeated items count only where the form has that list (a decision form has no speakers), and
  // only for the record that holds them (a booking form's conflict over its hirer is about the hirer).
  const lists = collection === 'bookings';
  if (!lists) for (const k of [...mine.keys()]) if (LIST_ITEM.test(k)) mine.delete(k);
  const hasList = lists && [...mine.keys()].some((k) => LIST_ITEM.test(k));
  const keys = new Set([...mine.keys(), ...[...saved.keys()].filter((k) => hasList && LIST_ITEM.test(k))]);
  for (const key of keys) {
    const into = referenceCollections[key];
    if (into && nameOf && mine.has(key) && saved.has(key)) {
      const names = (v: unknown) =>
        (Array.isArray(v) ? v : v ? [v] : [])
          .map((id) => nameOf(into, String(id)))
          .sort((a, b) => a.localeCompare(b))
          .join(', ');
      const yours = names(mine.get(key));
      const theirs = names(saved.get(key));
      if (yours !== theirs) rows.push({ key: labelOf(collection, key), yours, theirs });
      continue;
    }
    if (isInternal(key) || elsewhere?.test(key)) continue;
    if (template && /^(answer|comment)-/.test(key)) continue;
    const known = saved.has(key) || LIST_ITEM.test(key) || (named !== undefined && key in named);
    if (!known) continue;
    const yours = mine.has(key) || !LIST_ITEM.test(key) ? humanValue(key, mine.get(key)) : '';
    const theirs = humanValue(key, saved.get(key));
    if (yours !== theirs) rows.push({ key: labelOf(collection, key), yours, theirs });
  }
  return rows;
}

/**
 * The form as this user sent it, ready to send again over the latest version: every field as posted
 * but the CSRF token (the page adds the session's) and the version of the record that changed (now the
 * saved one), in `versionField` (a booking form carries its hirer's version as `hirerVersion`).
 */
export function resubmitFields(
  body: Record<string, unknown>,
  version: unknown,
  versionField = 'version',
): { name: string; value: string }[] {
  const fields: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === versionField) continue;
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string') fields.push({ name, value: v });
  }
  fields.push({ name: versionField, value: String(version) });
  return fields;
}
