import { bookingWhenText, hirerStatus } from '../checks/hireRules.js';
import { statusText } from '../checks/bookingRules.js';
import { HIRER_RECIPIENT, type Notification } from '../data/schemas/hireRequestSchemas.js';
import type { SentLog } from '../data/store/reminderLog.js';
import type { Store } from '../data/store/store.js';
import { isPermanentFailure, type Mailer } from './mailer.js';
import {
  type BookingFacts,
  composeEmail,
  decisionNotice,
  type EmailParts,
  filterTestFailedNotice,
  hirerAcknowledgement,
  hirerDecision,
  onlineRequestNotice,
  referralNotice,
} from './notificationEmails.js';
import type { RenderedEmail } from './reminderEmail.js';
import type { RetryPolicy } from './reminderJob.js';
import { ONCE_STAGE, recordUnsent, sendNotificationOnce } from './sendOnce.js';

/** Runs that leave a recipient unsent before a notification is given up (and shown as failed). */
export const MAX_NOTIFICATION_RUNS = 10;

export interface NotificationJobDeps {
  store: Store;
  log: SentLog;
  mailer: Mailer;
  baseUrl: string;
  /** The status link of an online request (its token is derived, never stored). */
  statusUrl: (hireRequestId: string) => string;
  retry: RetryPolicy;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface NotificationRunResult {
  sent: number;
  /** Emails not accepted this run: the next run (or the retry job) tries again. */
  pending: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The once-only key of a notification's email: one per notification and recipient in the sent log. */
export const notificationKey = (n: Pick<Notification, 'id'>) => `notification:${n.id}`;

/** The emails a notification owes, one per recipient with an address; none when its subject is gone. */
export function emailsOf(deps: NotificationJobDeps, n: Notification): RenderedEmail[] {
  const { store, baseUrl } = deps;
  const parts = partsOf(deps, n);
  if (!parts) return [];
  const out: RenderedEmail[] = [];
  for (const r of new Set(n.to)) {
    const address = r === HIRER_RECIPIENT ? hirerAddress(store, n.subjectId) : r;
    if (address) out.push(composeEmail(parts, address.toLowerCase(), notificationKey(n), baseUrl));
  }
  return out;
}

function hirerAddress(store: Store, bookingId: string): string | null {
  const request = store.list('hireRequests').find((h) => h.bookingId === bookingId);
  return request && !request.personalDataRemoved ? request.contactEmail : null;
}

function bookingFacts(store: Store, bookingId: string): BookingFacts | null {
  const b = store.get('bookings', bookingId);
  if (!b) return null;
  const hall = store.get('halls', b.hallId);
  const premises = hall ? store.get('premises', hall.premisesId) : undefined;
  return {
    ref: b.ref,
    eventTitle: b.eventTitle,
    venue: hall && premises ? `${hall.name}, ${premises.name}` : 'the hall',
    whenText: bookingWhenText(b.start, b.end),
  };
}

function partsOf(deps: NotificationJobDeps, n: Notification): EmailParts | null {
  const { store, baseUrl } = deps;
  if (n.kind === 'filter-test-failed') {
    const test = store.get('filterTests', n.recordId);
    const library = store.get('libraries', n.subjectId);
    if (!test || !library) return null;
    return filterTestFailedNotice(
      library.name,
      test.testedOn,
      test.deviceOrNetwork,
      `${baseUrl}/libraries/${library.id}`,
    );
  }
  const facts = bookingFacts(store, n.subjectId);
  if (!facts) return null;
  const href = `${baseUrl}/bookings/${n.subjectId}`;
  const request = store.list('hireRequests').find((h) => h.bookingId === n.subjectId);
  switch (n.kind) {
    case 'hirer-acknowledgement':
      return request ? hirerAcknowledgement(facts, deps.statusUrl(request.id)) : null;
    case 'hirer-decision': {
      const d = store.get('bookingDecisions', n.recordId);
      if (!d || !request) return null;
      return hirerDecision(facts, hirerStatus(d.decision, d), deps.statusUrl(request.id));
    }
    case 'online-request': {
      const matched = store
        .list('bookingScreenings')
        .some((s) => s.bookingId === n.subjectId && s.matches.length > 0);
      return onlineRequestNotice(facts, matched, href);
    }
    case 'referral': {
      const d = store.get('bookingDecisions', n.recordId);
      return d ? referralNotice(facts, nameOf(store, d.decidedBy), href) : null;
    }
    case 'decision': {
      const d = store.get('bookingDecisions', n.recordId);
      return d ? decisionNotice(facts, statusText[d.decision], nameOf(store, d.decidedBy), href) : null;
    }
  }
}

function nameOf(store: Store, email: string): string {
  return store.list('users').find((u) => u.email.toLowerCase() === email.toLowerCase())?.name ?? email;
}

/**
 * Sends every notification not yet done: each email once (the sent log is the record, as for
 * reminders), failures retried in rounds within the retry budget, then the notification marked done
 * once every recipient has it. What is still unsent waits for the next run; after
 * MAX_NOTIFICATION_RUNS runs it is given up and shown as failed.
 */
export async function runNotifications(deps: NotificationJobDeps): Promise<NotificationRunResult> {
  const { store, log } = deps;
  // A notification is recorded with its event: wait until every change made so far is durable, so no
  // email goes out about an event a failed write could still take back.
  await store.transact('notifications', () => undefined);
  const due = store.list('notifications').filter((n) => n.doneAt === null);
  if (due.length === 0) return { sent: 0, pending: 0 };
  const sleep = deps.sleep ?? realSleep;
  const started = Date.now();
  const timeLeft = () => deps.retry.budgetMs - (Date.now() - started);
  const emails = new Map<Notification, RenderedEmail[]>(due.map((n) => [n, emailsOf(deps, n)]));
  const errors = new Map<Notification, string>();
  let queue = due.flatMap((n) => emails.get(n)!.map((email) => ({ n, email })));
  let sent = 0;
  let round = 0;
  for (; queue.length > 0; round++) {
    const failed: typeof queue = [];
    for (const item of queue) {
      try {
        if ((await sendNotificationOnce(deps, notificationKey(item.n), item.email)) === 'sent') sent++;
      } catch (err) {
        errors.set(item.n, (err as Error).message ?? String(err));
        if (!isPermanentFailure(err)) failed.push(item);
      }
    }
    const delay = deps.retry.delaysMs[round];
    if (failed.length === 0 || delay === undefined || delay > timeLeft()) break;
    await sleep(delay);
    queue = failed;
  }
  // What is still unsent shows as failed on the reminder log page until a later run sends it.
  for (const n of due)
    for (const e of emails.get(n)!)
      if (!log.has(notificationKey(n), ONCE_STAGE, e.to))
        await recordUnsent(deps, notificationKey(n), e, errors.get(n) ?? 'not accepted', round + 1);
  let pending = 0;
  await store.transact('notifications', (tx) => {
    for (const n of due) {
      const unsent = emails.get(n)!.filter((e) => !log.has(notificationKey(n), ONCE_STAGE, e.to)).length;
      pending += unsent;
      if (unsent === 0) {
        tx.update('notifications', n.id, { doneAt: deps.now().toISOString() });
        continue;
      }
      const failedRuns = n.failedRuns + 1;
      tx.update('notifications', n.id, {
        failedRuns,
        lastError: errors.get(n) ?? 'not accepted',
        doneAt: failedRuns >= MAX_NOTIFICATION_RUNS ? deps.now().toISOString() : null,
      });
    }
  });
  return { sent, pending };
}
