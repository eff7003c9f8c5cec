import type { Flag } from '../../checks/flags/flagTypes.js';
import { PgReminderLog } from '../../data/pg/pgReminderLog.js';
import { PgStore } from '../../data/pg/pgStore.js';
import {
  type ReminderLogEntry,
  ReminderLog,
  reminderLogPathFor,
  type SentLog,
} from '../../data/store/reminderLog.js';
import type { Store } from '../../data/store/store.js';
import { type Mailer, createMailer } from '../../jobs/mailer.js';
import { type DescribeSubject, collectReminderItems } from '../../jobs/reminderItems.js';
import {
  REMINDER_JOB,
  type ReminderJobDeps,
  type ReminderRunResult,
  planRun,
  retryPolicy,
  runReminderJob,
} from '../../jobs/reminderJob.js';
import type { ReminderItem } from '../../jobs/reminderPlan.js';
import type { Config } from '../config.js';
import { subjectHref } from './dashboardService.js';
import type { FlagService } from './flagService.js';
import type { SubjectRegistry } from './subjectRegistry.js';

export interface ReminderServiceOptions {
  /** For tests: the waits between retry rounds. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reminders for every kind of item with a due date: the items come from the flags and the open actions,
 * their owners from the subject registry each area fills in (`ownerEmails`); for an action its owner, else
 * the owners of its subject; nobody named → the coordinators. Runs are one at a time in this process.
 */
export function createReminderService(
  store: Store,
  config: Config,
  flags: FlagService,
  subjects: SubjectRegistry,
  opts: ReminderServiceOptions = {},
) {
  const subjectKind = subjects.kind;
  let log: SentLog | null = null;
  let mailer: Mailer | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const openLog = () => {
    // On PostgreSQL the log is shared by every instance; else the file beside the database.
    log ??=
      store instanceof PgStore
        ? new PgReminderLog(store.pool)
        : ReminderLog.open(reminderLogPathFor(store.path), { write: store.writable });
    return log;
  };

  const describe: DescribeSubject = (type, id) => {
    // A late action-plan activity is flagged as an action; it has its own owner and place in the plan.
    const activity = type === 'action' ? store.get('planActivities', id) : undefined;
    if (activity) {
      return {
        name: activity.description,
        ref: '',
        href: `/plan#activity-${id}`,
        ownerEmails: activity.ownerEmail ? [activity.ownerEmail] : [],
        area: 'Action plan',
      };
    }
    const info = subjectKind(type)?.describe(store, id);
    if (info) return { name: info.name, ref: info.ref, href: info.href, ownerEmails: info.ownerEmails ?? [] };
    // An area not registered (yet): no owner, so the coordinators hear about it; the dashboard's URL.
    const href = subjectHref({ subject: { type, id } } as Flag, () => null);
    return href ? { name: '', ref: '', href, ownerEmails: [] } : undefined;
  };

  function items(asOf: string): ReminderItem[] {
    const users = new Map(store.list('users').map((u) => [u.email.toLowerCase(), u]));
    return collectReminderItems(
      flags.all(asOf),
      store.list('actions'),
      describe,
      (email) => users.get(email)?.active === false,
    );
  }

  const coordinators = () =>
    store
      .list('users')
      .filter((u) => u.role === 'coordinator' && u.active)
      .map((u) => u.email.toLowerCase())
      .sort();

  const openMailer = () => {
    mailer ??= createMailer({ smtpUrl: config.smtpUrl, outboxDir: config.outboxDir, from: config.mailFrom });
    return mailer;
  };

  function deps(): ReminderJobDeps {
    return {
      store,
      log: openLog(),
      mailer: openMailer(),
      source: { items, coordinators },
      baseUrl: config.baseUrl,
      weeklySummaryCron: config.weeklySummaryCron,
      tzName: config.tzName,
      retry: retryPolicy(config.reminderRetrySeconds),
      now: () => store.now(),
      sleep: opts.sleep,
    };
  }

  return {
    items,
    coordinators,
    lastRun: (): string | null => store.data.meta.jobRuns[REMINDER_JOB] ?? null,

    /** Runs the job (one run at a time): `remind`, the scheduler and the log page's "send now" all call it. */
    run(runOpts: { asOf?: string; dryRun?: boolean } = {}): Promise<ReminderRunResult> {
      const next = queue.then(async () => {
        // What other instances sent since this one last looked counts as sent.
        await openLog().refresh();
        return runReminderJob(deps(), runOpts);
      });
      queue = next.catch(() => {});
      return next;
    },

    /** Reads what other instances recorded (PostgreSQL); the log page calls it before `logView`. */
    refreshLog: (): Promise<void> => openLog().refresh(),

    /** For the reminder log page: what was sent, what failed and is not sent since, what the next run sends. */
    logView(asOf?: string) {
      const l = openLog();
      const entries = l.entries();
      const sent = entries.filter((e) => e.status === 'sent');
      const failed = entries.filter(
        (e) => e.status === 'failed' && e.reminders.some((r) => !l.has(r.itemKey, r.stage, e.to)),
      );
      const latestFirst = (xs: ReminderLogEntry[]) => [...xs].reverse();
      return {
        sent: latestFirst(sent),
        failed: latestFirst(failed),
        pending: planRun(deps(), asOf).planned,
      };
    },

    /** The one mail path: the same sent log and mailer for every email (notifications, returns, bulletins), each sent once. */
    mailPath: () => ({ log: openLog(), mailer: openMailer(), now: () => store.now() }),

    close(): void {
      mailer?.close();
      mailer = null;
    },
  };
}

export type ReminderService = ReturnType<typeof createReminderService>;
