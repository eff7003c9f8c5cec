import { expect } from 'chai';
import { PgReminderLog } from '../../../data/pg/pgReminderLog.js';
import { PgStore } from '../../../data/pg/pgStore.js';
import { ReminderLog, type ReminderLogEntry, reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { pruneReminderLog } from '../../../jobs/personalDataRetention.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { readSentLog } from '../../support/sentLog.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

const line = (at: string, itemKey: string): ReminderLogEntry => ({
  at,
  status: 'sent',
  kind: 'digest',
  to: 'facilities@demo.test',
  subject: 'Due Regard reminder: 1 due soon',
  messageId: `<${itemKey}@test>`,
  asOf: at.slice(0, 10),
  reminders: [{ itemKey, stage: 'due-soon', title: 'Riverside Community Centre' }],
});

// 23:30 UTC on 31 May is 00:30 on 1 June in London (summer time): kept when the period starts on 1 June.
const OLD = line('2019-05-31T22:30:00.000Z', 'premises:old');
const EDGE = line('2019-05-31T23:30:00.000Z', 'premises:edge');
const NEW = line('2025-03-01T07:00:00.000Z', 'premises:new');
const ctx = { asOf: '2025-06-01', keptFrom: '2019-06-01' };

async function expectPruned(t: TestApp): Promise<void> {
  const result = await pruneReminderLog(t.store, ctx);
  expect(result?.deleted).to.equal(1);
  const log = await readSentLog(t.store, t.dbPath);
  expect(log.entries().map((e) => e.messageId)).to.deep.equal([EDGE.messageId, NEW.messageId]);
  expect(log.has('premises:old', 'due-soon', 'facilities@demo.test')).to.equal(false);
  expect(log.has('premises:edge', 'due-soon', 'facilities@demo.test')).to.equal(true);
  // Nothing more to drop: nothing written.
  expect(await pruneReminderLog(t.store, ctx)).to.equal(null);
}

describe('retention of the reminder log: lines dated before the period go, on either store', () => {
  let t: TestApp;
  let db: TestPgDatabase | null = null;
  afterEach(async () => {
    await t.close();
    await db?.drop();
    db = null;
  });

  it('on the file store, the old lines leave the file', async () => {
    t = await startTestApp({ demo: false, config: { databaseUrl: null } });
    const file = ReminderLog.open(reminderLogPathFor(t.dbPath), { write: true });
    for (const l of [OLD, EDGE, NEW]) await file.append(l);
    await expectPruned(t);
  });

  it('on PostgreSQL, the old rows and their sent keys leave the tables', async () => {
    db = await createTestPgDatabase('reminder_retention');
    t = await startTestApp({ demo: false, config: { databaseUrl: db.url } });
    if (!(t.store instanceof PgStore)) throw new Error('the app runs on PostgreSQL');
    const log = new PgReminderLog(t.store.pool);
    for (const l of [OLD, EDGE, NEW]) await log.append(l);
    await expectPruned(t);
    const keys = await t.store.pool.query<{ item_key: string }>(
      'SELECT item_key FROM reminder_sent ORDER BY 1',
    );
    expect(keys.rows.map((r) => r.item_key)).to.deep.equal(['premises:edge', 'premises:new']);
  });
});
