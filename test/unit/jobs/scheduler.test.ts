import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { type ScheduleFn, type ScheduledJob, isDue, startScheduler } from '../../../jobs/scheduler.js';

const LONDON = 'Europe/London';

/** A job that records its runs and its last run time, like the reminder job does in meta.jobRuns. */
function recordingJob(crons: string[], clock: { now: Date }, lastRun: string | null = null) {
  const runs: string[] = [];
  let last = lastRun;
  let result: { retry?: boolean } = {};
  const job: ScheduledJob = {
    name: 'test-job',
    crons,
    lastRun: () => last,
    async run() {
      runs.push(clock.now.toISOString());
      last = clock.now.toISOString();
      return result;
    },
  };
  return {
    job,
    runs,
    setResult: (r: { retry?: boolean }) => {
      result = r;
    },
  };
}

/** node-cron stand-in: records the timers asked for, fires nothing by itself. */
function fakeCron() {
  const timers: { expression: string; options: unknown; fire: (ctx: { date?: Date }) => unknown }[] = [];
  let stopped = 0;
  const schedule: ScheduleFn = (expression, fn, options) => {
    timers.push({ expression, options, fire: fn });
    return {
      stop: () => {
        stopped++;
      },
    };
  };
  return { schedule, timers, stopped: () => stopped };
}

describe('scheduler: catch-up and timers with an injected clock', () => {
  it('when a scheduled run was missed while the server was down, then it runs once at start', async () => {
    const clock = { now: new Date('2026-03-09T09:00:00Z') };
    // Last ran Thursday; Friday 07:00 and Monday 07:00 were missed.
    const { job, runs } = recordingJob(['0 7 * * 1-5'], clock, '2026-03-05T07:00:01Z');
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    await s.stop();
    expect(runs).to.deep.equal(['2026-03-09T09:00:00.000Z']);
  });

  it('when no scheduled run was missed, then nothing runs at start', async () => {
    const clock = { now: new Date('2026-03-09T06:30:00Z') };
    const { job, runs } = recordingJob(['0 7 * * 1-5'], clock, '2026-03-06T07:00:01Z');
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: fakeCron().schedule });
    await s.stop();
    expect(runs).to.deep.equal([]);
  });

  it('when the job has never run, then start-up does not run it; its first scheduled time does', async () => {
    const clock = { now: new Date('2026-03-09T06:30:00Z') };
    const { job, runs } = recordingJob(['0 7 * * 1-5'], clock);
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    await s.tick();
    expect(runs).to.deep.equal([]);
    clock.now = new Date('2026-03-09T07:00:00Z');
    await itemAt(cron.timers, 0).fire({ date: clock.now });
    await s.stop();
    expect(runs).to.deep.equal(['2026-03-09T07:00:00.000Z']);
  });

  it('when started, then node-cron timers are set for each cron and the sweep, in the time zone, without overlap', async () => {
    const clock = { now: new Date('2026-03-09T06:30:00Z') };
    const { job } = recordingJob(['0 7 * * 1-5', '0 7 * * 1'], clock);
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    await s.stop();
    expect(cron.timers.map((t) => t.expression)).to.deep.equal(['0 7 * * 1-5', '0 7 * * 1', '*/15 * * * *']);
    for (const t of cron.timers) expect(t.options).to.include({ timezone: LONDON, noOverlap: true });
    expect(cron.stopped()).to.equal(3);
  });

  it('when the timer fires twice in the repeated hour of the October change, then the job runs once', async () => {
    const clock = { now: new Date('2026-10-24T12:00:00Z') };
    const { job, runs } = recordingJob(['30 1 * * *'], clock, '2026-10-24T00:30:00Z');
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    // 01:30 BST, then 01:30 GMT an hour later: the same wall time.
    clock.now = new Date('2026-10-25T00:30:00Z');
    await itemAt(cron.timers, 0).fire({ date: clock.now });
    clock.now = new Date('2026-10-25T01:30:00Z');
    await itemAt(cron.timers, 0).fire({ date: clock.now });
    // The 15-minute sweep after both finds nothing missed.
    clock.now = new Date('2026-10-25T01:45:00Z');
    await itemAt(cron.timers, 1).fire({ date: clock.now });
    await s.stop();
    expect(runs).to.deep.equal(['2026-10-25T00:30:00.000Z']);
  });

  it('when the scheduled time is skipped by the March change, then the next sweep runs the job once', async () => {
    const clock = { now: new Date('2026-03-28T12:00:00Z') };
    const { job, runs } = recordingJob(['30 1 * * *'], clock, '2026-03-28T01:30:00Z');
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    // No 01:30 on 29 March, so the job's own timer never fires; the sweeps at 02:45 and 03:00 BST do.
    clock.now = new Date('2026-03-29T01:45:00Z');
    await itemAt(cron.timers, 1).fire({ date: clock.now });
    clock.now = new Date('2026-03-29T02:00:00Z');
    await itemAt(cron.timers, 1).fire({ date: clock.now });
    await s.stop();
    expect(runs).to.deep.equal(['2026-03-29T01:45:00.000Z']);
  });

  it('when a timer fires a moment early, then the scheduled time it was set for counts', async () => {
    const clock = { now: new Date('2026-03-09T06:59:59.990Z') };
    const { job, runs } = recordingJob(['0 7 * * 1-5'], clock, '2026-03-06T07:00:00Z');
    const cron = fakeCron();
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: cron.schedule });
    await itemAt(cron.timers, 0).fire({ date: new Date('2026-03-09T07:00:00Z') });
    await s.stop();
    expect(runs).to.have.length(1);
  });

  it('when a run asks to retry (emails pending), then a sweep after the retry wait runs it again', async () => {
    const clock = { now: new Date('2026-03-09T06:00:00Z') };
    const { job, runs, setResult } = recordingJob(['0 7 * * 1-5'], clock, '2026-03-06T07:00:00Z');
    setResult({ retry: true });
    const cron = fakeCron();
    const s = startScheduler([job], {
      tz: LONDON,
      now: () => clock.now,
      schedule: cron.schedule,
      retryDelaysMs: [10 * 60_000],
    });
    clock.now = new Date('2026-03-09T07:00:00Z');
    await itemAt(cron.timers, 0).fire({ date: clock.now });
    setResult({});
    clock.now = new Date('2026-03-09T07:05:00Z');
    await s.tick();
    clock.now = new Date('2026-03-09T07:15:00Z');
    await s.tick();
    clock.now = new Date('2026-03-09T07:30:00Z');
    await s.tick();
    await s.stop();
    expect(runs).to.deep.equal(['2026-03-09T07:00:00.000Z', '2026-03-09T07:15:00.000Z']);
  });

  it('when a tick comes while the job is still running, then it does not start a second run', async () => {
    const clock = { now: new Date('2026-03-09T06:00:00Z') };
    let release: () => void = () => {};
    let started = 0;
    const job: ScheduledJob = {
      name: 'slow',
      crons: ['0 7 * * 1-5'],
      lastRun: () => '2026-03-06T07:00:00Z',
      run: () => {
        started++;
        return new Promise((r) => {
          release = () => r({});
        });
      },
    };
    const s = startScheduler([job], { tz: LONDON, now: () => clock.now, schedule: fakeCron().schedule });
    clock.now = new Date('2026-03-09T07:00:00Z');
    const first = s.tick();
    await s.tick();
    release();
    await first;
    await s.stop();
    expect(started).to.equal(1);
  });

  it('when a job fails, then the error is reported and the scheduler carries on', async () => {
    const clock = { now: new Date('2026-03-09T09:00:00Z') };
    const errors: string[] = [];
    const job: ScheduledJob = {
      name: 'broken',
      crons: ['0 7 * * 1-5'],
      lastRun: () => '2026-03-06T07:00:00Z',
      run: () => Promise.reject(new Error('disk full')),
    };
    const s = startScheduler([job], {
      tz: LONDON,
      now: () => clock.now,
      schedule: fakeCron().schedule,
      onError: (name, err) => errors.push(`${name}: ${(err as Error).message}`),
    });
    await s.stop();
    expect(errors).to.deep.equal(['broken: disk full']);
  });

  it('isDue: when any of a job’s crons had a time since its last run, then it is due', () => {
    const job = { crons: ['0 7 * * 1-5', '0 7 * * 0'] };
    expect(isDue(job, LONDON, new Date('2026-03-06T08:00:00Z'), new Date('2026-03-08T07:30:00Z'))).to.equal(
      true,
    );
    expect(isDue(job, LONDON, new Date('2026-03-06T08:00:00Z'), new Date('2026-03-08T06:30:00Z'))).to.equal(
      false,
    );
  });
});
