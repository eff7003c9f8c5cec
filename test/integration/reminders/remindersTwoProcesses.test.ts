import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { PgStore } from '../../../data/pg/pgStore.js';
import { loadConfig } from '../../../server/config.js';
import { createServices } from '../../../server/services/createServices.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { type ServerProcess, startServer, TEST_SESSION_SECRET } from '../../support/serverProcess.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';

const BASE_URL = 'http://dueregard.test';
const DAY_MS = 24 * 60 * 60_000;

/** Waits until `ready` answers true, checking every 50 ms, for at most `ms` (a wait, not a timing claim). */
async function until(what: string, ready: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await ready())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const messageIdOf = (raw: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';

/**
 * Issue #19: two real server processes on one PostgreSQL database, with the demo's daily reminder run missed
 * while "both were down", start at once; each catches the missed run up at start, under the job's lock.
 * The mail server holds the first message until both processes are up, so the second's catch-up comes while
 * the first is still sending: without the lock both would send everything.
 */
describe('reminders from two server processes on one PostgreSQL database (real SMTP)', function () {
  this.timeout(120_000);
  let db: TestPgDatabase;
  let sink: SmtpSink;
  let dir: string;
  const servers: ServerProcess[] = [];
  /** The Message-IDs of the emails the reminder plan says are due, before either process starts. */
  let due: string[] = [];

  before(async () => {
    db = await createTestPgDatabase('reminders_two_proc');
    dir = mkdtempSync(join(tmpdir(), 'dueregard-twoproc-'));
    const seed = await PgStore.open(db.url, { path: join(dir, 'seed.json'), follow: false });
    await setUpDemo(seed, { passwordHashCost: 10 });
    // The last reminder run was eight days ago: a weekday 07:00 run was missed since, whatever today is.
    await seed.transact('test', (tx) =>
      tx.setMeta((m) => {
        m.jobRuns.reminders = new Date(Date.now() - 8 * DAY_MS).toISOString();
      }),
    );
    const config = loadConfig({ DATABASE_URL: db.url, BASE_URL }, { dbPath: join(dir, 'seed.json') });
    const services = createServices(seed, config, TEST_SESSION_SECRET);
    try {
      await services.reminders.refreshLog();
      due = services.reminders.logView().pending.map((p) => p.email.messageId);
    } finally {
      services.reminders.close();
      await services.sessions.close();
      await seed.close();
    }
    sink = await startSmtpSink();
  });

  after(async () => {
    for (const s of servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }
    await sink?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when both start at once and catch up the missed run, then each reminder is sent exactly once and the run recorded once', async () => {
    expect(due.length, 'the demo has reminders due').to.be.at.least(3);
    let release = () => {};
    sink.hold = new Promise<void>((r) => {
      release = r;
    });
    const env = { DATABASE_URL: db.url, SMTP_URL: sink.url, BASE_URL, REMINDER_CRON: '0 7 * * 1-5' };
    servers.push(
      ...(await Promise.all(
        ['a', 'b'].map((name) =>
          startServer({ dbPath: join(dir, `${name}.json`), env, startTimeoutMs: 60_000 }),
        ),
      )),
    );

    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      // One process holds the reminders job's lock, its first email held by the mail server; both are up, so
      // the other's catch-up (started before it listened) has asked for the lock meanwhile.
      await until('the reminders lock is held', async () => {
        const r = await admin.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1
             AND objid::bigint = (hashtext('reminders')::bigint + 4294967296) % 4294967296`,
          [0x4452],
        );
        return r.rowCount === 1;
      });
      await until('a reminder waits at the mail server', () => sink.held > 0);
      await new Promise((r) => setTimeout(r, 2_000));
      release();
      sink.hold = null;

      const received = () => sink.received.map((m) => messageIdOf(m.raw)).filter((id) => due.includes(id));
      await until('every due reminder arrived', () => new Set(received()).size === due.length);
      await until('the run is recorded', async () => {
        const r = await admin.query(`SELECT 1 FROM job_runs WHERE name = 'reminders'`);
        return r.rowCount === 1;
      });
      // Both stop gracefully, which waits for any job run in progress: whatever either sent is in by then.
      for (const s of servers) s.child.kill('SIGTERM');
      const exits = await Promise.all(servers.map((s) => s.exited));
      expect(exits.map((e) => e.code)).to.deep.equal([0, 0]);

      const ids = received();
      console.log(
        `      (${due.length} reminder emails due; ${sink.received.length} emails received in all)`,
      );
      expect(ids.length, 'each due reminder arrived once').to.equal(due.length);
      expect([...ids].sort()).to.deep.equal([...due].sort());

      // The shared reminder log holds each as sent once, matching what the mail server received.
      const log = await admin.query<{ entry: { status: string; messageId: string } }>(
        'SELECT entry FROM reminder_log ORDER BY id',
      );
      const logged = log.rows
        .map((r) => r.entry)
        .filter((e) => e.status === 'sent' && due.includes(e.messageId))
        .map((e) => e.messageId);
      expect([...logged].sort()).to.deep.equal([...due].sort());

      // One process ran the job (and said so); the other was refused the lock and sent nothing.
      const ran = servers.filter((s) => /Reminders as of/.test(s.output().stdout));
      expect(ran.length, servers.map((s) => s.output().stdout).join('\n---\n')).to.equal(1);
      const runs = await admin.query<{ instance: string }>(
        `SELECT instance FROM job_runs WHERE name = 'reminders'`,
      );
      expect(runs.rows.map((r) => r.instance.split(':').at(-1))).to.deep.equal([String(ran[0]?.pid)]);
    } finally {
      await admin.end();
    }
  });
});
