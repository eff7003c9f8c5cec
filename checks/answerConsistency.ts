import type { FilteringProfile } from '../data/schemas/librarySchemas.js';
import type { Action } from '../data/schemas/reviewSchemas.js';
import { policyDocNames, requiredBlockedCategories } from './libraryFiltering.js';
import { addMonths, formatDate, londonDate } from './londonDates.js';
import type { Answers } from './reviewRules.js';
import { CONTACT_CONFIRM_MONTHS, PREVENT_TRAINING_MONTHS } from './schoolRules.js';
import type { Answer } from './templateTypes.js';

/** A current Prevent lead of a school as the audit needs it: role in words, never the person's name. */
export interface LeadFacts {
  role: string;
  contactConfirmedOn: string | null;
  /** Latest Prevent training on or before as-of. */
  lastPreventTraining: string | null;
}

/** What the product knows about the subject of a review, gathered by the server for one template. */
export interface KnownFacts {
  asOf: string;
  /** Premises audit: the actions raised from the previous audit (none when there was no previous audit). */
  previousAuditActions?: readonly Pick<Action, 'description' | 'dueOn' | 'status' | 'closedAt'>[];
  /** School audit: the school's current Prevent leads. */
  currentLeads?: readonly LeadFacts[];
  /** Library attestation: the filtering profile and the date of the latest filter test. */
  libraryProfile?: FilteringProfile;
  lastFilterTestOn?: string | null;
}

/** What the records say about one question: the answer they support and why, in plain words. */
export interface RecordedAnswer {
  questionId: string;
  answer: Answer;
  text: string;
}

/** Questions the school audit fills in from the records it holds (SPEC §16, issue 16 item 4). */
export const FILLED_FROM_RECORDS: Readonly<Record<string, readonly string[]>> = {
  'school-audit': ['S1', 'S2'],
};

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`;

function premisesAnswers(facts: KnownFacts): RecordedAnswer[] {
  const actions = facts.previousAuditActions;
  if (!actions || actions.length === 0) return [];
  const problems: string[] = [];
  for (const a of actions) {
    if (a.status === 'open') {
      const late = a.dueOn < facts.asOf ? 'overdue since' : 'due';
      problems.push(`“${a.description}” is still open (${late} ${formatDate(a.dueOn)})`);
    } else if (a.closedAt && londonDate(a.closedAt) > a.dueOn) {
      problems.push(
        `“${a.description}” was closed on ${formatDate(londonDate(a.closedAt))}, after its due date of ${formatDate(a.dueOn)}`,
      );
    }
  }
  const n = actions.length;
  return [
    problems.length > 0
      ? { questionId: 'P13', answer: 'no', text: `From the last audit, ${list(problems)}` }
      : {
          questionId: 'P13',
          answer: 'yes',
          text: `${n === 1 ? 'The action' : `All ${n} actions`} from the last audit ${n === 1 ? 'was' : 'were'} closed by ${n === 1 ? 'its due date' : 'their due dates'}`,
        },
  ];
}

function schoolAnswers(facts: KnownFacts): RecordedAnswer[] {
  const leads = facts.currentLeads;
  if (!leads) return [];
  if (leads.length === 0) {
    const none = 'The school has no current Prevent lead on record';
    return [
      { questionId: 'S1', answer: 'no', text: none },
      { questionId: 'S2', answer: 'no', text: none },
    ];
  }
  const contactFrom = addMonths(facts.asOf, -CONTACT_CONFIRM_MONTHS);
  const confirmed = leads.filter((l) => l.contactConfirmedOn && l.contactConfirmedOn >= contactFrom);
  const s1: RecordedAnswer =
    confirmed[0] !== undefined
      ? {
          questionId: 'S1',
          answer: 'yes',
          text: `${confirmed[0].role} on record, contact details confirmed on ${formatDate(confirmed[0].contactConfirmedOn)}`,
        }
      : {
          questionId: 'S1',
          answer: 'no',
          text: `${list(leads.map((l) => l.role))} on record, but contact details ${leads.some((l) => l.contactConfirmedOn) ? 'not confirmed in the last 12 months' : 'never confirmed'}`,
        };
  const trainingFrom = addMonths(facts.asOf, -PREVENT_TRAINING_MONTHS);
  const trained = leads.filter((l) => l.lastPreventTraining && l.lastPreventTraining >= trainingFrom);
  const latest = leads
    .map((l) => l.lastPreventTraining)
    .filter((d): d is string => d !== null)
    .sort()
    .pop();
  const s2: RecordedAnswer =
    trained[0] !== undefined
      ? {
          questionId: 'S2',

          answer: 'yes',
          text: `${trained[0].role} had Prevent training on ${formatDate(trained[0].lastPreventTraining)}`,
        }
      : {
          questionId: 'S2',
          answer: 'no',
          text: latest
            ? `No current Prevent lead has Prevent training in the last 2 years on record (the latest was on ${formatDate(latest)})`
            : 'No current Prevent lead has any Prevent training on record',
        };
  return [s1, s2];
}

function libraryAnswers(facts: KnownFacts): RecordedAnswer[] {
  const p = facts.libraryProfile;
  if (!p) return [];
  const out: RecordedAnswer[] = [];
  const say = (questionId: string, ok: boolean, yes: string, no: string) =>
    out.push({ questionId, answer: ok ? 'yes' : 'no', text: ok ? yes : no });
  if (p.publicWifi === 'unfiltered')
    say('L1', false, '', 'The filtering profile records public Wi-Fi as not covered by the filter');
  const confirmation = (c: FilteringProfile['iwf'], what: string, questionId: string) =>
    say(
      questionId,
      c.confirmed,
      `The provider confirmed ${what} on ${formatDate(c.on)}`,
      p.provider
        ? `The filtering profile has no confirmation of ${what} from ${p.provider}`
        : 'The filtering profile records no filtering provider',
    );
  confirmation(p.iwf, 'IWF membership', 'L2');
  confirmation(p.ctiru, 'blocking of the CTIRU list', 'L3');
  const blocked = new Set(p.blockedCategories.map((c) => c.toLowerCase()));
  const missing = requiredBlockedCategories.filter((c) => !blocked.has(c.toLowerCase()));
  say(
    'L4',
    missing.length === 0,
    `The filtering profile records ${requiredBlockedCategories.join(', ')} as blocked`,
    `The filtering profile does not record ${missing.join(', ')} as blocked`,
  );
  const doc = (key: keyof typeof policyDocNames) => {
    const d = p[key];
    if (!d.approvedOn) return { ok: false, text: `${policyDocNames[key]}: no approved version recorded` };
    if (d.nextReview && d.nextReview < facts.asOf)
      return { ok: false, text: `${policyDocNames[key]}: its review was due by ${formatDate(d.nextReview)}` };
    return {
      ok: true,
      text: `${policyDocNames[key]}: version ${d.version ?? 'not numbered'}, approved on ${formatDate(d.approvedOn)}`,
    };
  };
  const policy = doc('filteringPolicy');
  say('L6', policy.ok, policy.text, policy.text);
  const agreement = doc('accessAgreement');
  say('L7', agreement.ok, agreement.text, agreement.text);
  const misuse = doc('inappropriateUsePolicy');
  // L8 asks about the agreement or the policy on inappropriate use: either one in force will do.
  say(
    'L8',
    agreement.ok || misuse.ok,
    misuse.ok ? misuse.text : agreement.text,
    `${agreement.text}; ${misuse.text}`,
  );
  if (facts.lastFilterTestOn !== undefined) {
    const from = addMonths(facts.asOf, -12);
    const last = facts.lastFilterTestOn;
    say(
      'L12',
      last !== null && last >= from,
      `The last filter test was on ${formatDate(last)}`,
      last
        ? `The last filter test on record was on ${formatDate(last)}, more than a year ago`
        : 'No filter test is on record',
    );
  }
  return out;
}

/** What the records say, question by question, for a review against `templateId`. */
export function recordedAnswers(templateId: string, facts: KnownFacts): RecordedAnswer[] {
  switch (templateId) {
    case 'premises-audit':
      return premisesAnswers(facts);
    case 'school-audit':
      return schoolAnswers(facts);
    case 'library-attestation':
      return libraryAnswers(facts);
    default:
      return [];
  }
}

export interface Contradiction {
  questionId: string;
  message: string;
}

/**
 * Answers of "yes" the records contradict: "yes, actions were closed" while one is open. A "no" the
 * records would allow is the person's judgement and stands.
 */
export function contradictions(answers: Answers, recorded: readonly RecordedAnswer[]): Contradiction[] {
  return recorded
    .filter((r) => r.answer === 'no' && answers[r.questionId]?.answer === 'yes')
    .map((r) => ({ questionId: r.questionId, message: `${r.text}.` }));
}

/**
 * The answers a new review of `templateId` fills in from the records (each to confirm), for the
 * questions that template takes from them.
 */
export function answersFromRecords(templateId: string, recorded: readonly RecordedAnswer[]): Answers {
  const wanted = new Set(FILLED_FROM_RECORDS[templateId] ?? []);
  const out: Answers = {};
  for (const r of recorded) {
    if (wanted.has(r.questionId)) {
      out[r.questionId] = { answer: r.answer, reason: null, note: null, toConfirm: true, from: 'records' };
    }
  }
  return out;
}
