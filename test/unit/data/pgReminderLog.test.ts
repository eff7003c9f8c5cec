import { expect } from 'chai';
import { PgReminderLog } from '../../../data/pg/pgReminderLog.js';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import type { ReminderLogEntry } from '../../../data/store/reminderLog.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

function entry(to: string, status: 'sent' | 'failed', itemKey = 'premises:1'): ReminderLogEntry {
  return {
    at: '2026-03-09T07:00:01.000Z',
    status,
    kind: 'digest',
    to,
    subject: 'Due Regard reminder: 1 due soon',
    messageId: `<${itemKey}@test>`,
    asOf: '2026-03-09',
    reminders: [{ itemKey, stage: 'due-soon', title: 'Riverside Community Centre' }],
  };
}

describe('reminder log on PostgreSQL (shared by instances)', () => {
  let db: TestPgDatabase;
  let pool: PgPool;
  /** Each "instance" with a pool of its own, as separate servers have. */
  const others: PgPool[] = [];
  const instance = () => {
    const p = createPgPool(db.url);
    others.push(p);
    return new PgReminderLog(p);
  };
  beforeEach(async () => {
    db = await createTestPgDatabase('reminder_log');
    pool = createPgPool(db.url);
    await migratePg(pool);
  });
  afterEach(async () => {
    for (const p of others.splice(0)) await p.end();
    await pool.end();
    await db.drop();
  });

  it('when one instance records a reminder sent, then another sees it as sent once it refreshes', async () => {
    const a = instance();
    const b = instance();
    await b.refresh();
    await a.append(entry('Facilities@Demo.test', 'sent'));
    expect(a.has('premises:1', 'due-soon', 'facilities@demo.test')).to.equal(true);
    expect(b.has('premises:1', 'due-soon', 'facilities@demo.test')).to.equal(false);
    await b.refresh();
    expect(b.has('premises:1', 'due-soon', 'FACILITIES@demo.test')).to.equal(true);
    expect(b.has('premises:1', 'overdue', 'facilities@demo.test')).to.equal(false);
    expect(b.entries().map((e) => e.subject)).to.deep.equal(['Due Regard reminder: 1 due soon']);
  });

  it('when an email failed, then it is logged but its reminders are not marked sent', async () => {
    const a = instance();
    await a.append(entry('coordinator@demo.test', 'failed'));
    const b = instance();
    await b.refresh();
    expect(b.entries()).to.have.length(1);
    expect(b.has('premises:1', 'due-soon', 'coordinator@demo.test')).to.equal(false);
  });

  it('each reminder has one sent key: a second "sent" of the same reminder keeps the first', async () => {
    const a = instance();
    const b = instance();
    await a.append(entry('facilities@demo.test', 'sent'));
    await b.append(entry('facilities@demo.test', 'sent'));
    const keys = await pool.query('SELECT item_key, stage, recipient FROM reminder_sent');
    expect(keys.rows).to.deep.equal([
      { item_key: 'premises:1', stage: 'due-soon', recipient: 'facilities@demo.test' },
    ]);
    const lines = await pool.query('SELECT count(*)::int AS n FROM reminder_log');
    expect(lines.rows[0]?.n).to.equal(2);
  });

  it('when a line with an earlier number commits after a later one was read, then a refresh still finds it', async () => {
    const reader = instance();
    // Instance A takes a number and has not committed yet; instance B commits a later one; the reader reads.
    const slow = await pool.connect();
    await slow.query('BEGIN');
    await slow.query(
      "INSERT INTO reminder_log (at, status, recipient, entry) VALUES (now(), 'sent', 'a@demo.test', $1)",
      [JSON.stringify(entry('a@demo.test', 'sent', 'premises:a'))],
    );
    await instance().append(entry('b@demo.test', 'sent', 'premises:b'));
    await reader.refresh();
    expect(reader.has('premises:b', 'due-soon', 'b@demo.test')).to.equal(true);
    expect(reader.has('premises:a', 'due-soon', 'a@demo.test')).to.equal(false);
    await slow.query('COMMIT');
    slow.release();
    await reader.refresh();
    expect(reader.has('premises:a', 'due-soon', 'a@demo.test')).to.equal(true);
    expect(reader.entries()).to.have.length(2);
  });
});
