import { HIRER_RECIPIENT, type NotificationKind } from '../../data/schemas/hireRequestSchemas.js';
import type { Booking, BookingDecision } from '../../data/schemas/hallHireSchemas.js';
import type { FilterTest } from '../../data/schemas/librarySchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import { type NotificationRunResult, runNotifications } from '../../jobs/notificationJob.js';
import { retryPolicy } from '../../jobs/reminderJob.js';
import type { Config } from '../config.js';
import type { ReminderService } from './reminderService.js';

/** Decisions the hirer of an online request hears about (a referral is still "being considered"). */
const TOLD_TO_HIRER = new Set(['approved', 'approved-with-conditions', 'refused', 'cancelled']);

export interface NotificationServiceOptions {
  statusUrl: (hireRequestId: string) => string;
  /** For tests: the waits between retry rounds. */
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

/**
 * Emails when something happens (SPEC §13), not only in the daily digest: a referral → the
 * coordinators; a decision → the booking officer (and the hirer of an online request); an online
 * request → the premises' booking officers (and an acknowledgement to the hirer); a failed filter test →
 * the coordinators. Each is recorded in the same change as its event, then sent at once through the one
 * mail path (the reminders' mailer and sent log): recorded once sent, retried, never twice.
 */
export function createNotificationService(
  store: Store,
  config: Config,
  reminders: Pick<ReminderService, 'mailPath' | 'coordinators'>,
  opts: NotificationServiceOptions,
) {
  let running: Promise<NotificationRunResult> | null = null;
  let again = false;
  let closed = false;
  const log = opts.log ?? ((line: string) => console.error(line));

  function record(
    tx: Transaction,
    kind: NotificationKind,
    subjectId: string,
    recordId: string,
    to: string[],
  ) {
    const recipients = [...new Set(to.map((t) => (t === HIRER_RECIPIENT ? t : t.toLowerCase())))];
    if (recipients.length === 0) return;
    tx.insert('notifications', {
      kind,
      subjectId,
      recordId,
      to: recipients,
      doneAt: null,
      failedRuns: 0,
      lastError: null,
    });
    // After this change is committed (the run first waits for it to be durable).
    setImmediate(() => void kick());
  }

  /** The booking officers of a building: its site manager, else the active facilities staff. */
  function premisesOfficers(premisesId: string): string[] {
    const manager = store.get('premises', premisesId)?.siteManagerEmail;
    if (manager) return [manager];
    const facilities = store
      .list('users')
      .filter((u) => u.role === 'facilities' && u.active)
      .map((u) => u.email);
    return facilities.length > 0 ? facilities : reminders.coordinators();
  }

  /** Sends what is owed now; a kick while a run is in progress runs once more after it. */
  function kick(): Promise<NotificationRunResult> {
    if (closed) return Promise.resolve({ sent: 0, pending: 0 });
    if (running) {
      again = true;
      return running;
    }
    const { log: sentLog, mailer } = reminders.mailPath();
    running = runNotifications({
      store,
      log: sentLog,
      mailer,
      baseUrl: config.baseUrl,
      statusUrl: opts.statusUrl,
      retry: retryPolicy(config.reminderRetrySeconds),
      now: () => store.now(),
      sleep: opts.sleep,
    })
      .catch((err: Error) => {
        if (!closed) log(`Notifications could not be sent now: ${err.message}`);
        return { sent: 0, pending: 0 };
      })
      .finally(() => {
        running = null;
        if (again && !closed) {
          again = false;
          void kick();
        }
      });
    return running;
  }

  return {
    kick,
    premisesOfficers,
    /** Waits for a run in progress (tests, graceful stop). */
    idle: async () => {
      while (running) await running;
    },
    close() {
      closed = true;
    },
    pending: () => store.list('notifications').filter((n) => n.doneAt === null),

    /** Called inside the transaction that records a booking decision. */
    decided(tx: Transaction, decision: BookingDecision, booking: Booking) {
      if (decision.decision === 'referred')
        record(tx, 'referral', booking.id, decision.id, reminders.coordinators());
      const officer = booking.bookingOfficerEmail;
      if (officer && officer.toLowerCase() !== decision.decidedBy.toLowerCase())
        record(tx, 'decision', booking.id, decision.id, [officer]);
      if (booking.origin === 'online' && TOLD_TO_HIRER.has(decision.decision))
        record(tx, 'hirer-decision', booking.id, decision.id, [HIRER_RECIPIENT]);
    },

    /** Called inside the transaction that records an online request. */
    requested(tx: Transaction, booking: Booking, hireRequestId: string, premisesId: string) {
      record(tx, 'hirer-acknowledgement', booking.id, hireRequestId, [HIRER_RECIPIENT]);
      record(tx, 'online-request', booking.id, booking.id, premisesOfficers(premisesId));
    },

    /** Called inside the transaction that records a library filter test. */
    filterTested(tx: Transaction, test: FilterTest) {
      if (test.result === 'not-blocked')
        record(tx, 'filter-test-failed', test.libraryId, test.id, reminders.coordinators());
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
