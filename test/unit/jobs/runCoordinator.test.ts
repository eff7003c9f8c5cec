import { expect } from 'chai';
import pg from 'pg';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { pgRunCoordinator } from '../../../jobs/runCoordinator.js';
import { type ScheduledJob, type ScheduleFn, startScheduler } from '../../../jobs/scheduler.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

const LONDON = 'Europe/London';
const noTimers: ScheduleFn = () => ({ stop: () => {} });

/** A job that counts its runs; each instance has its own copy and its own (never set) record. */
function countingJob(runs: string[], instance: string, hold?: Promise<void>): ScheduledJob {
  return {
    name: 'reminders',
    crons: ['0 7 * * 1-5'],
    lastRun: () => null,
    async run() {
      runs.push(instance);
      await hold;
      return undefined;
    },
  };
}

describe('scheduled jobs once across instances: PostgreSQL advisory lock and shared last run', () => {
  let db: TestPgDatabase;
  let poolA: PgPool;
  let poolB: PgPool;

  beforeEach(async () => {
    db = await createTestPgDatabase('run_coordinator');
    poolA = createPgPool(db.url, { applicationName: 'instance-a' });
    poolB = createPgPool(db.url, { applicationName: 'instance-b' });
    await migratePg(poolA);
  });
  afterEach(async () => {
    await poolA.end();
    await poolB.end();
    await db.drop();
  });

  it('while one instance runs a job, then another asking for it is told busy and runs nothing', async () => {
    const a = pgRunCoordinator(poolA, 'a');
    const b = pgRunCoordinator(poolB, 'b');
    let inside = 0;
    let answerB: string | null = null;
    const outcomeA = await a.exclusive('backup', async () => {
      inside++;
      answerB = await b.exclusive('backup', async () => {
        inside++;
      });
    });
    expect([outcomeA, answerB, inside]).to.deep.equal(['ran', 'busy', 1]);
    // Released after the run: the other instance may run it now.
    expect(await b.exclusive('backup', async () => {})).to.equal('ran');
    // Another job's lock is its own.
    const both = await a.exclusive('backup', () => b.exclusive('retention', async () => {}).then(() => {}));
    expect(both).to.equal('ran');
  });

  it('when an instance records a run, then every instance reads it as the last run, never moved back', async () => {
    const a = pgRunCoordinator(poolA, 'a');
    const b = pgRunCoordinator(poolB, 'b');
    await a.exclusive('retention', (s) => s.record(new Date('2026-03-09T03:00:00Z')));
    await b.exclusive('retention', (s) => s.record(new Date('2026-03-08T03:00:00Z')));
    let seen: Date | null = null;
    await b.exclusive('retention', async (s) => {
      seen = s.lastRun;
    });
    expect(seen).to.deep.equal(new Date('2026-03-09T03:00:00Z'));
    const row = await poolA.query('SELECT instance FROM job_runs WHERE name = $1', ['retention']);
    expect(row.rows[0]?.instance).to.equal('b');
  });

  it('when the instance running a job dies (its connection gone), then the lock is free for another', async () => {
    const a = pgRunCoordinator(poolA, 'a');
    const b = pgRunCoordinator(poolB, 'b');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const running = a
      .exclusive('archive', async () => {
        entered();
        await held;
      })
      .catch((err: Error) => err);
    await inside;
    expect(await b.exclusive('archive', async () => {})).to.equal('busy');
    // What kill -9 does to its sessions: the server ends them.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'instance-a'",
    );
    await admin.end();
    expect(await b.exclusive('archive', async () => {})).to.equal('ran');
    release();
    await running;
  });

  it('when two instances tick at the same minute, then the job runs once, and not again that minute', async () => {
    const runs: string[] = [];
    let release: () => void = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const clock = { now: new Date('2026-03-09T06:59:30Z') };
    const opts = { tz: LONDON, now: () => clock.now, schedule: noTimers };
    const sa = startScheduler([countingJob(runs, 'a', hold)], {
      ...opts,
      coordinator: pgRunCoordinator(poolA, 'a'),
    });
    const sb = startScheduler([countingJob(runs, 'b', hold)], {
      ...opts,
      coordinator: pgRunCoordinator(poolB, 'b'),
    });
    await Promise.all([sa.caughtUp, sb.caughtUp]);
    clock.now = new Date('2026-03-09T07:00:00Z');
    const ticks = [sa.tick(), sb.tick()];
    // Let both ask for the lock while the winner's run is still going.
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all(ticks);
    expect(runs).to.have.length(1);
    // Later the same minute (a sweep, a restart): the shared record says it ran.
    clock.now = new Date('2026-03-09T07:00:40Z');
    await Promise.all([sa.tick(), sb.tick()]);
    expect(runs).to.have.length(1);
    await sa.stop();
    await sb.stop();
  });

  it('when every instance missed a run, then the first to start catches it up, once', async () => {
    await pgRunCoordinator(poolA, 'a').exclusive('reminders', (s) =>
      s.record(new Date('2026-03-05T07:00:00Z')),
    );
    const runs: string[] = [];
    const clock = { now: new Date('2026-03-09T09:00:00Z') };
    const opts = { tz: LONDON, now: () => clock.now, schedule: noTimers };
    const sa = startScheduler([countingJob(runs, 'a')], {
      ...opts,
      coordinator: pgRunCoordinator(poolA, 'a'),
    });
    await sa.stop();
    const sb = startScheduler([countingJob(runs, 'b')], {
      ...opts,
      coordinator: pgRunCoordinator(poolB, 'b'),
    });
    await sb.stop();
    expect(runs).to.deep.equal(['a']);
  });
});
