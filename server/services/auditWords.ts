import { recordTypeLabel, sentenceCase } from '../../checks/labels.js';
import { type AuditEntry, SECRET_FIELDS } from '../../data/store/auditLog.js';
import type { Store } from '../../data/store/store.js';
import {
  changesOf,
  createValueWords,
  describeRecord,
  fieldLabel,
  recordIn,
  recordName,
} from './auditValues.js';

/**
 * An audit-log entry as a sentence (SPEC §17): "Fran Facilities submitted the review of Riverside
 * Community Centre", with the actor's name, the subject's name and a link to it while it exists, and the
 * changed fields by their form labels in human formats.
 */
export interface EntryInWords {
  who: string;
  /** What happened, after the actor's name: "changed the premises Riverside Community Centre". */
  did: string;
  /** The record's kind in words ("Premises"). */
  recordType: string;
  subject: { name: string; href: string | null } | null;
  changes: { field: string; before: string; after: string }[];
}

/** Actors that are not people: jobs, the command line, the public pages. */
const SYSTEM_ACTORS: Record<string, string> = {
  cli: 'Someone at the command line',
  demo: 'The demo set-up',
  system: 'Due Regard',
  retention: 'The retention job',
  archive: 'The archive job',
  notifications: 'The notification job',
  reminders: 'The reminder job',
  'sign-in': 'The sign-in service',
  'single sign-on': 'The council’s sign-in service',
  'online request': 'A hirer’s online request',
  'authenticator code': 'The two-factor sign-in',
  test: 'A test',
};

/** Where a record of each kind is shown, when it has its own page. */
const PAGES: Partial<Record<string, (id: string, rec: Record<string, unknown>) => string | null>> = {
  premises: (id) => `/premises/${id}`,
  bookings: (id) => `/bookings/${id}`,
  hirers: (id) => `/hirers/${id}`,
  libraries: (id) => `/libraries/${id}`,
  schools: (id) => `/schools/${id}`,
  reviews: (id) => `/reviews/${id}`,
  departments: (id) => `/training/departments/${id}`,
  users: (id) => `/users/${id}/edit`,
  actionPlans: () => '/plan',
  planHeadings: () => '/plan',
  planActivities: (id) => `/plan#activity-${id}`,
  halls: (_id, rec) => (typeof rec.premisesId === 'string' ? `/premises/${rec.premisesId}` : null),
  preventLeads: (_id, rec) => (typeof rec.schoolId === 'string' ? `/schools/${rec.schoolId}` : null),
};

/** Kinds of record grouped by the part of the service they belong to, for the log's "Area" filter. */
export const auditAreas: { id: string; label: string; collections: string[] }[] = [
  { id: 'premises', label: 'Premises', collections: ['premises'] },
  {
    id: 'hall-hire',
    label: 'Hall hire',
    collections: [
      'halls',
      'hirers',
      'bookings',
      'bookingDecisions',
      'bookingScreenings',
      'watchlists',
      'watchlistEntries',
      'hireRequests',
    ],
  },
  { id: 'libraries', label: 'Libraries', collections: ['libraries', 'filterTests'] },
  {
    id: 'schools',
    label: 'Schools',
    collections: [
      'schools',
      'preventLeads',
      'leadTraining',
      'homeEducationCounts',
      'schoolReturns',
      'returnLinks',
      'bulletins',
    ],
  },
  { id: 'training', label: 'Training', collections: ['departments', 'trainingSessions', 'staffRecords'] },
  { id: 'plan', label: 'Action plan', collections: ['actionPlans', 'planHeadings', 'planActivities'] },
  { id: 'reviews', label: 'Reviews, actions and evidence', collections: ['reviews', 'actions', 'evidence'] },
  {
    id: 'admin',
    label: 'Users and administration',
    collections: [
      'users',
      'apiTokens',
      'imports',
      'notifications',
      'audit',
      'auditLog',
      'database',
      'outbox',
      'reminderLog',
    ],
  },
];

/** A label mid-sentence: lower case, but for names that keep their capital ("Prevent", "API"). */
const inSentence = (label: string) =>
  label.replace(/^\S+/, (first) => (/^(Prevent|API)$/.test(first) ? first : first.toLowerCase()));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const count = (n: unknown, one: string, many: string) => `${Number(n) || 0} ${Number(n) === 1 ? one : many}`;

export function createAuditWords(store: Store) {
  const valueInWords = createValueWords(store);
  const get = (collection: string, id: string) => recordIn(store, collection, id);

  /** The actor's name: a user's name from their email, a job or service in words, else as logged. */
  function actorName(actor: string): string {
    const system = SYSTEM_ACTORS[actor];
    if (system) return system;
    if (actor.includes('@')) {
      const lower = actor.toLowerCase();
      const user = store.list('users').find((u) => u.email.toLowerCase() === lower);
      return user ? user.name : actor;
    }
    return sentenceCase(actor);
  }

  /** What the record is called, and its page while it still exists. */
  function subjectOf(e: AuditEntry): EntryInWords['subject'] {
    const rec = isRecord(e.after) ? e.after : isRecord(e.before) ? e.before : null;
    if (!rec || e.recordId === '-') return null;
    const name = describeRecord(store, e.collection, rec);
    if (!name) return null;
    const page = PAGES[e.collection];
    const current = get(e.collection, e.recordId);
    const href = page && current ? page(e.recordId, current) : null;
    return { name, href };
  }

  function changesInWords(e: AuditEntry): EntryInWords['changes'] {
    const out: EntryInWords['changes'] = [];
    for (const c of changesOf(e)) {
      const before = isRecord(e.before) ? e.before[c.field] : undefined;
      const after = isRecord(e.after) ? e.after[c.field] : undefined;
      const field = fieldLabel(e.collection, c.field);
      // A new record's empty fields say nothing, nor do counters the sentence says in words (the one
      // behind "signed out everywhere", the last security code's time step).
      if (
        (e.action === 'create' &&
          (after === null || after === '' || (Array.isArray(after) && !after.length))) ||
        (e.collection === 'users' && (c.field === 'sessionEpoch' || c.field === 'totpLastStep'))
      )
        continue;
      if (SECRET_FIELDS.has(c.field)) {
        const said = e.action === 'create' ? 'Set' : after ? 'Changed' : 'Removed';
        out.push({ field, before: '', after: after ? `${said} (secret, never shown)` : said });
        continue;
      }
      if (e.collection === 'users' && c.field === 'failedSignIns') {
        const attempts = (v: unknown) => (Array.isArray(v) && v.length ? String(v.length) : 'None');
        out.push({ field: 'Sign-in attempts counted', before: attempts(before), after: attempts(after) });
        continue;
      }
      if (e.collection === 'users' && c.field === 'lockedUntil') {
        const until = (v: unknown) => (v ? valueInWords('users', 'lockedUntil', v) : 'Not locked');
        out.push({ field: 'Locked out until', before: until(before), after: until(after) });
        continue;
      }
      out.push({
        field,
        before:
          e.action === 'create'
            ? ''
            : valueInWords(e.collection, c.field, before, isRecord(e.before) ? e.before : null),
        after: valueInWords(e.collection, c.field, after, isRecord(e.after) ? e.after : null),
      });
    }
    return out;
  }

  /**
   * A change to a user in words. The sign-in throttle's bookkeeping (attempts counted before a password is
   * checked, cleared by a right one, the lock) says what it is rather than "changed"; a change that ends
   * the user's sessions says so.
   */
  function userChange(b: Record<string, unknown>, a: Record<string, unknown>, named: string): string {
    const changed = changesOf({ before: b, after: a } as AuditEntry).map((c) => c.field);
    const attempts = (v: unknown) => (Array.isArray(v) ? v.length : 0);
    if (changed.length > 0 && changed.every((f) => f === 'failedSignIns' || f === 'lockedUntil')) {
      if (!b.lockedUntil && a.lockedUntil) return `locked ${named} out after too many failed sign-ins`;
      if (b.lockedUntil && !a.lockedUntil) return `unlocked ${named}`;
      if (attempts(a.failedSignIns) > attempts(b.failedSignIns))
        return `counted a sign-in attempt by ${named}`;
      if (attempts(a.failedSignIns) === 0) return `cleared the sign-in attempts counted for ${named}`;
      return `stopped counting a sign-in attempt by ${named}`;
    }
    const only = (...fields: string[]) => changed.length > 0 && changed.every((f) => fields.includes(f));
    if (only('totpLastStep'))
      return `recorded the security code used to sign in as ${named}, so it cannot be used again`;
    if (only('recoveryCodeHashes')) return `changed the recovery codes of ${named}`;
    if (
      !b.totpSecret &&
      a.totpSecret &&
      only('totpSecret', 'totpLastStep', 'totpEnabledAt', 'recoveryCodeHashes')
    )
      return `set up two-factor authentication for ${named}`;
    if (
      b.totpSecret &&
      !a.totpSecret &&
      only('totpSecret', 'totpLastStep', 'totpEnabledAt', 'recoveryCodeHashes')
    )
      return `removed the two-factor authentication of ${named}`;
    const endedSessions = Number(a.sessionEpoch ?? 0) > Number(b.sessionEpoch ?? 0);
    if (endedSessions && only('sessionEpoch')) return `signed ${named} out everywhere`;
    return `changed ${named}${endedSessions ? ', which signed them out everywhere' : ''}`;
  }

  /** What happened, after the actor's name. */
  function did(e: AuditEntry, kind: string, subject: EntryInWords['subject']): string {
    const named = subject
      ? e.collection === 'reviews'
        ? subject.name
        : `the ${kind} ${subject.name}`
      : `a ${kind}`;
    const details = isRecord(e.after) ? e.after : {};
    switch (e.action) {
      case 'create':
        return `added ${named}`;
      case 'update': {
        const b = isRecord(e.before) ? e.before : {};
        if (e.collection === 'reviews' && details.status === 'submitted' && b.status !== 'submitted')
          return `submitted ${subject?.name ?? 'a review'}`;
        if (e.collection === 'users') return userChange(b, details, named);
        return `changed ${named}`;
      }
      case 'delete':
        return `removed ${named}`;
      case 'erase':
        return `removed the personal data of ${named}`;
      case 'sign-in': {
        const method = String(details.method ?? 'a password');
        if (details.outcome === 'signed in') return `signed in with ${method}`;
        const reason = typeof details.reason === 'string' ? `: ${details.reason}` : '';
        return `was refused sign-in with ${method}${reason}`;
      }
      case 'export':
        if (e.collection === 'audit')
          return `downloaded ${count(details.rows, 'entry', 'entries')} of the audit log`;
        return `downloaded the personal data held on the ${kind} ${recordName(get(e.collection, e.recordId)) || 'since removed'}`;
      case 'retention':
        return `applied the retention rules to the ${inSentence(recordTypeLabel(e.collection, true))}`;
      case 'archive':
        return `moved ${count((details.files as unknown[] | undefined)?.length, 'file', 'files')} of old records to the archive`;
      case 'seal':
        return 'sealed the personal data in the audit log, so that retention can erase it';
      case 'erase-keys':
        return `destroyed ${count(details.keysDestroyed, 'key', 'keys')} of the audit log, so the personal data they sealed can no longer be read`;
      case 'rebuild':
        return 'rebuilt the database from the audit log';
      default:
        return `${sentenceCase(e.action).toLowerCase()}: ${named}`;
    }
  }

  /** Notes (sign-in, export, retention…) carry details, not a record: their sentence says it all. */
  const NOTES = new Set(['sign-in', 'export', 'retention', 'archive', 'seal', 'erase-keys', 'rebuild']);

  return {
    actorName,
    inWords(e: AuditEntry): EntryInWords {
      const kind = inSentence(recordTypeLabel(e.collection));
      const subject = NOTES.has(e.action) ? null : subjectOf(e);
      const sentence = did(e, kind, subject);
      return {
        who: actorName(e.actor),
        did: sentence,
        recordType: recordTypeLabel(e.collection),
        subject: e.action === 'sign-in' ? null : subject,
        changes: NOTES.has(e.action) ? [] : changesInWords(e),
      };
    },
  };
}

export type AuditWords = ReturnType<typeof createAuditWords>;
