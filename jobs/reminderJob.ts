import { londonDate, londonLocalToInstant } from '../checks/londonDates.js';
import type { SentLog } from '../data/store/reminderLog.js';
import type { Store } from '../data/store/store.js';
import { latestScheduledTime, zonedDate } from './cronSchedule.js';
import { type Mailer, isPermanentFailure } from './mailer.js';
import { type RenderedEmail, renderEmail } from './reminderEmail.js';
import { type EmailPlan, type ReminderItem, planReminders } from './reminderPlan.js';

export const REMINDER_JOB = 'reminders';

/** Where the items and the coordinators come from: the server builds this (it knows who owns what). */
export interface ReminderSource {
  items(asOf: string): ReminderItem[];
  /** Email addresses of the active coordinators. */
  coordinators(): string[];
}

export interface RetryPolicy {
  /** Waits between rounds of retries, in ms. */
  delaysMs: number[];
  /** No new round or send starts after this long (ms) from the first attempt. */
  budgetMs: number;
}

/** 1, 2, 4, 8, 16 s between rounds, nothing new after 35 s: with SMTP timeouts, done in under a minute. */
export function retryPolicy(budgetSeconds: number): RetryPolicy {
  const delaysMs: number[] = [];
  let total = 0;
  for (let d = 1000; total + d <= budgetSeconds * 1000; d *= 2) {
    delaysMs.push(d);
    total += d;
  }
  return { delaysMs, budgetMs: budgetSeconds * 1000 };
}

export interface ReminderJobDeps {
  store: Store;
  log: SentLog;
  mailer: Mailer;
  source: ReminderSource;
  baseUrl: string;
  weeklySummaryCron: string;
  tzName: string;
  retry: RetryPolicy;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface PlannedEmail {
  plan: EmailPlan;
  email: RenderedEmail;
}

export interface ReminderRunResult {
  asOf: string;
  dryRun: boolean;
  planned: PlannedEmail[];
  sent: PlannedEmail[];
  /** Not accepted after every retry: the next run sends them. */
  pending: (PlannedEmail & { error: string; attempts: number })[];
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The weekly summary due at `at`: the latest scheduled time of WEEKLY_SUMMARY_CRON in the last week. Its
 * key is that time's date, so it is sent once, even by a run days later (catch-up).
 */
export function weeklySummaryDue(cronExpr: string, tz: string, at: Date): { key: string } | null {
  const last = latestScheduledTime(cronExpr, tz, at, 7);
  return last ? { key: `weekly-summary:${zonedDate(last, tz)}` } : null;
}

/** The plan as of a date: what would be sent now. Also what the reminder log page shows as pending. */
export function planRun(
  deps: ReminderJobDeps,
  asOfGiven?: string,
): { asOf: string; planned: PlannedEmail[] } {
  const now = deps.now();
  const asOf = asOfGiven ?? londonDate(now);
  // With --as-of, the weekly summary is the one due by the end of that day.
  const summaryAt = asOfGiven ? londonLocalToInstant(`${asOfGiven}T23:59`) : now;
  const plans = planReminders({
    items: deps.source.items(asOf),
    asOf,
    sent: deps.log,
    coordinators: deps.source.coordinators(),
    weeklySummary: weeklySummaryDue(deps.weeklySummaryCron, deps.tzName, summaryAt),
  });
  return {
    asOf,
    planned: plans.map((plan) => ({ plan, email: renderEmail(plan, { baseUrl: deps.baseUrl, asOf }) })),
  };
}

/**
 * Runs the reminder job once: plan, send each email, and record each in the sent log only after the SMTP
 * server accepted it. Failures are retried in rounds with growing waits within the retry budget; what is
 * still not accepted is logged as failed and returned as pending (the next run plans it again). The
 * scheduler and `npx dueregard remind` both call this.
 */
export async function runReminderJob(
  deps: ReminderJobDeps,
  opts: { asOf?: string; dryRun?: boolean } = {},
): Promise<ReminderRunResult> {
  const startedAt = deps.now();
  const { asOf, planned } = planRun(deps, opts.asOf);
  if (opts.dryRun) return { asOf, dryRun: true, planned, sent: [], pending: [] };

  const sleep = deps.sleep ?? realSleep;
  // The budget is kept on the injected clock (the store's: real time in service, fixed in tests), so a
  // slow machine cannot make a test's retries run out.
  const started = deps.now().getTime();
  const timeLeft = () => deps.retry.budgetMs - (deps.now().getTime() - started);
  const sent = new Set<PlannedEmail>();
  const attempts = new Map<PlannedEmail, number>();
  const errors = new Map<PlannedEmail, unknown>();
  let queue = planned;
  for (let round = 0; ; round++) {
    const failed: PlannedEmail[] = [];
    let serverTrouble = false;
    for (const p of queue) {
      // The server is failing (not just refusing one address) and the budget is spent: stop trying, so
      // the run stays bounded; the rest waits for the next run.
      if ((round > 0 || serverTrouble) && timeLeft() <= 0) {
        failed.push(p);
        continue;
      }
      attempts.set(p, (attempts.get(p) ?? 0) + 1);
      try {
        const delivery = await deps.mailer.send(p.email);
        // Accepted: record it at once, so no later failure can make it look unsent.
        await deps.log.append({
          at: deps.now().toISOString(),
          status: 'sent',
          kind: p.plan.kind,
          to: p.plan.to,
          subject: p.email.subject,
          messageId: p.email.messageId,
          asOf,
          reminders: p.plan.reminders,
          via: delivery.via,
          response: delivery.response,
          attempts: attempts.get(p),
        });
        errors.delete(p);
        serverTrouble = false;
        sent.add(p);
      } catch (err) {
        errors.set(p, err);
        failed.push(p);
        serverTrouble = !isPermanentFailure(err);
      }
    }
    // A permanent refusal (5xx) is not retried now; the next run tries again (the address may be fixed).
    const retriable = failed.filter((p) => !isPermanentFailure(errors.get(p)));
    const delay = deps.retry.delaysMs[round];
    if (retriable.length === 0 || delay === undefined || delay > timeLeft()) break;
    await sleep(delay);
    queue = retriable;
  }

  const pending: ReminderRunResult['pending'] = [];
  for (const p of planned) {
    if (sent.has(p)) continue;
    const error = errors.get(p);
    const message = error === undefined ? 'not attempted' : ((error as Error).message ?? String(error));
    pending.push({ ...p, error: message, attempts: attempts.get(p) ?? 0 });
    await deps.log.append({
      at: deps.now().toISOString(),
      status: 'failed',
      kind: p.plan.kind,
      to: p.plan.to,
      subject: p.email.subject,
      messageId: p.email.messageId,
      asOf,
      reminders: p.plan.reminders,
      via: deps.mailer.via,
      response: message,
      attempts: attempts.get(p) ?? 0,
    });
  }

  await deps.store.transact('reminders', (tx) =>
    tx.setMeta((m) => {
      m.jobRuns[REMINDER_JOB] = startedAt.toISOString();
    }),
  );
  return { asOf, dryRun: false, planned, sent: planned.filter((p) => sent.has(p)), pending };
}
