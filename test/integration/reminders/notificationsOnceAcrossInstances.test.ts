import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { PgReminderLog } from '../../../data/pg/pgReminderLog.js';
import { createMailer, type Mailer } from '../../../jobs/mailer.js';
import { ONCE_STAGE, sendNotificationOnce, sendOnce } from '../../../jobs/sendOnce.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';

const email = (key: string) => ({
  to: 'coordinator@demo.test',
  subject: `A booking was referred to you (${key})`,
  text: 'Open Due Regard to decide it.',
  html: '<p>Open Due Regard to decide it.</p>',
  messageId: `<${key}@dueregard.test>`,
});

/**
 * Two instances (each its own pool and mailer, one shared database) sending the same once-only emails at
 * the same moment: an event's notification from the instance that handled it while the other's retry job
 * sends what is owed, or two runs of the schools' mail.
 */
describe('once-only emails across two instances on one PostgreSQL database (real SMTP)', () => {
  let db: TestPgDatabase;
  let sink: SmtpSink;
  let outbox: string;
  const pools: PgPool[] = [];
  const mailers: Mailer[] = [];

  function instance() {
    const pool = createPgPool(db.url);
    pools.push(pool);
    const mailer = createMailer({ smtpUrl: sink.url, outboxDir: outbox, from: 'Due Regard <dr@demo.test>' });
    mailers.push(mailer);
    return { log: new PgReminderLog(pool), mailer, now: () => new Date('2026-03-04T10:00:00Z') };
  }

  beforeEach(async () => {
    db = await createTestPgDatabase('notify_once');
    sink = await startSmtpSink();
    outbox = mkdtempSync(join(tmpdir(), 'dueregard-outbox-'));
    const pool = createPgPool(db.url);
    await migratePg(pool);
    await pool.end();
  });
  afterEach(async () => {
    for (const m of mailers.splice(0)) m.close();
    for (const p of pools.splice(0)) await p.end();
    await sink.close();
    await db.drop();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('when both send the same notifications at once, then each goes exactly once and is logged sent once', async () => {
    const a = instance();
    const b = instance();
    const keys = ['referral:1', 'referral:2', 'decision:3', 'decision:4', 'request:5'];
    const results = await Promise.all(
      keys.flatMap((k) => [sendNotificationOnce(a, k, email(k)), sendNotificationOnce(b, k, email(k))]),
    );
    expect(results.filter((r) => r === 'sent')).to.have.length(keys.length);
    expect(sink.received.map((m) => m.subject).sort()).to.deep.equal(
      keys.map((k) => email(k).subject).sort(),
    );
    const reader = new PgReminderLog(pools[0] as PgPool);
    await reader.refresh();
    for (const k of keys) expect(reader.has(k, ONCE_STAGE, 'coordinator@demo.test'), k).to.equal(true);
    expect(reader.entries()).to.have.length(keys.length);
  });

  it('the same for the returns’ once-only path, and two stages of one item are two emails', async () => {
    const a = instance();
    const b = instance();
    const message = (stage: string) => ({
      kind: 'return-reminder' as const,
      itemKey: 'return:42',
      stage,
      title: 'Annual return',
      email: email(`return-${stage}`),
      asOf: '2026-03-04',
    });
    const results = await Promise.all(
      ['reminder-14', 'reminder-3'].flatMap((s) => [sendOnce(a, message(s)), sendOnce(b, message(s))]),
    );
    expect(results.map((r) => r.status).sort()).to.deep.equal([
      'already-sent',
      'already-sent',
      'sent',
      'sent',
    ]);
    expect(sink.received).to.have.length(2);
  });
});
