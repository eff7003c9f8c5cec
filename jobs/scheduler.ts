import cron from 'node-cron';
import { scheduledTimesBetween } from './cronSchedule.js';
import { localRunCoordinator, type RunCoordinator } from './runCoordinator.js';

/** A job on a clock: the scheduler runs it at its cron times, and once at start if a run was missed. */
export interface ScheduledJob {
  name: string;
  /** Cron expressions (node-cron syntax) in the scheduler's time zone. */
  crons: string[];
  /** When it last ran (ISO instant), as the job itself recorded it (e.g. meta.jobRuns), or null. */
  lastRun(): string | null;
  /** Runs the job; `{ retry: true }` asks for another run later (e.g. emails still pending). */
  run(): Promise<{ retry?: boolean } | undefined>;
}

export type ScheduleFn = (
  expression: string,
  fn: (ctx: { date?: Date }) => unknown,
  options: { timezone: string; noOverlap: boolean; name: string },
) => { stop(): unknown };

export interface SchedulerOptions {
  tz: string;
  now?: () => Date;
  /** node-cron's `schedule` unless a test passes its own. */
  schedule?: ScheduleFn;
  /** Also checks every 15 minutes for a missed run (a timer lost to sleep, a time skipped by the clock change). */
  sweepCron?: string;
  /** Waits before re-running a job that asked to retry: 5 min, 15 min, then hourly. */
  retryDelaysMs?: number[];
  onError?: (job: string, err: unknown) => void;
  /**
   * Who may run a job when instances share a database (default: this process alone). On PostgreSQL a job
   * runs under its advisory lock, and is due from the last run any instance recorded.
   */
  coordinator?: RunCoordinator;
}

/**
 * Whether a job is due at `now`: a scheduled time of any of its crons falls after its last run (or, never
 * run, after `since`) and at or before `now`. A time counted once per day even across the clock changes
 * (see cronSchedule), so a run is never doubled by the October change nor lost to the March one.
 */
export function isDue(job: Pick<ScheduledJob, 'crons'>, tz: string, lastRun: Date, now: Date): boolean {
  return job.crons.some((c) => scheduledTimesBetween(c, tz, lastRun, now, 1).length > 0);
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

export interface Scheduler {
  /** Resolves once the start-up catch-up has run (or found nothing due). */
  caughtUp: Promise<void>;
  /** Checks every job now and runs those due (what each timer and the start-up catch-up do). */
  tick(now?: Date): Promise<void>;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the jobs' timers (node-cron, in `tz`, no overlapping runs) and runs at once any job whose
 * scheduled run was missed while the server was down. A job never runs twice at the same time: a tick
 * while it runs is skipped, and the run itself decides whether it is due from its recorded last run.
 */
export function startScheduler(jobs: ScheduledJob[], opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? (() => new Date());
  const schedule: ScheduleFn = opts.schedule ?? ((e, fn, o) => cron.schedule(e, fn, o));
  const retryDelays = opts.retryDelaysMs ?? [5 * 60_000, 15 * 60_000, 60 * 60_000];
  const startedAt = now();
  const running = new Map<string, Promise<void>>();
  const retry = new Map<string, { at: number; count: number }>();
  const coordinator = opts.coordinator ?? localRunCoordinator;

  /** Runs the job; true if it finished without throwing. */
  async function runJob(job: ScheduledJob): Promise<boolean> {
    try {
      const result = await job.run();
      if (result?.retry) {
        const count = (retry.get(job.name)?.count ?? 0) + 1;
        const wait = retryDelays[Math.min(count, retryDelays.length) - 1] ?? 60 * 60_000;
        retry.set(job.name, { at: now().getTime() + wait, count });
      } else retry.delete(job.name);
      return true;
    } catch (err) {
      opts.onError?.(job.name, err);
      return false;
    }
  }

  /** Under the job's lock: due from the later of its own record and any instance's, then run and record. */
  async function runIfDue(job: ScheduledJob, at: Date): Promise<void> {
    try {
      await coordinator.exclusive(job.name, async (shared) => {
        const own = job.lastRun();
        const last = latest(own ? new Date(own) : null, shared.lastRun);
        const retryDue = (retry.get(job.name)?.at ?? Number.POSITIVE_INFINITY) <= at.getTime();
        if (!retryDue && !isDue(job, opts.tz, last ?? startedAt, at)) return;
        if (await runJob(job)) await shared.record(at);
      });
    } catch (err) {
      // The database could not be asked (down, restarting): the next tick tries again.
      opts.onError?.(job.name, err);
    }
  }

  async function tick(at: Date = now()): Promise<void> {
    const started: Promise<void>[] = [];
    for (const job of jobs) {
      if (running.has(job.name)) continue;
      // Not due by its own record: not due by any (the shared record is never earlier), so no lock is asked.
      // Never run here, on a shared database: only the shared record can say, under the lock.
      const own = job.lastRun();
      const retryDue = (retry.get(job.name)?.at ?? Number.POSITIVE_INFINITY) <= at.getTime();
      const canJudge = own !== null || !coordinator.shared;
      if (!retryDue && canJudge && !isDue(job, opts.tz, own ? new Date(own) : startedAt, at)) continue;
      const p = runIfDue(job, at).finally(() => running.delete(job.name));
      running.set(job.name, p);
      started.push(p);
    }
    await Promise.all(started);
  }

  // node-cron may wake a moment before the scheduled second: judge by the later of the two.
  const onTimer = (ctx: { date?: Date }) => {
    const t = now();
    return tick(ctx?.date && ctx.date > t ? ctx.date : t);
  };
  const tasks = [...new Set([...jobs.flatMap((j) => j.crons), opts.sweepCron ?? '*/15 * * * *'])].map(
    (expression, i) =>
      schedule(expression, onTimer, { timezone: opts.tz, noOverlap: true, name: `due-regard-${i}` }),
  );
  const catchUp = tick(startedAt);

  return {
    caughtUp: catchUp,
    tick,
    async stop() {
      for (const t of tasks) await t.stop();
      await catchUp;
      await Promise.all(running.values());
    },
  };
}
