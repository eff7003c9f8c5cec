import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type ReminderLogEntry, ReminderLog, reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { tempFolders } from '../../support/tempFolder.js';

const entry = (over: Partial<ReminderLogEntry> = {}): ReminderLogEntry => ({
  at: '2026-03-04T07:00:01.000Z',
  status: 'sent',
  kind: 'digest',
  to: 'Fran@x.test',
  subject: 'Reminder',
  messageId: '<1@x>',
  asOf: '2026-03-04',
  reminders: [{ itemKey: 'premises:p1:2026-03-10', stage: 'due-7', title: 'Town Hall' }],
  ...over,
});

describe('reminder sent log', () => {
  const folders = tempFolders('reminder-log');
  after(() => folders.cleanUp());

  it('when the database is var/dueregard.json, then the log is var/dueregard.reminders.jsonl beside it', () => {
    expect(reminderLogPathFor('/srv/var/dueregard.json')).to.equal('/srv/var/dueregard.reminders.jsonl');
  });

  it('when a sent email is appended, then it is sent for each of its reminders, also after reopening', async () => {
    const path = join(folders.make(), 'db.reminders.jsonl');
    const log = ReminderLog.open(path, { write: true });
    await log.append(entry());
    expect(log.has('premises:p1:2026-03-10', 'due-7', 'fran@x.test')).to.equal(true);
    const again = ReminderLog.open(path, { write: false });
    expect(again.has('premises:p1:2026-03-10', 'due-7', 'FRAN@x.test')).to.equal(true);
    expect(again.has('premises:p1:2026-03-10', 'due-1', 'fran@x.test')).to.equal(false);
    expect(again.has('premises:p1:2026-03-10', 'due-7', 'sam@x.test')).to.equal(false);
  });

  it('when a failed email is appended, then its reminders are not marked sent', async () => {
    const path = join(folders.make(), 'db.reminders.jsonl');
    const log = ReminderLog.open(path, { write: true });
    await log.append(entry({ status: 'failed' }));
    expect(log.has('premises:p1:2026-03-10', 'due-7', 'fran@x.test')).to.equal(false);
    expect(ReminderLog.open(path, { write: false }).entries()).to.have.length(1);
  });

  it('when the last line was torn by a crash, then it counts as not sent and the writer cuts it off', async () => {
    const path = join(folders.make(), 'db.reminders.jsonl');
    const log = ReminderLog.open(path, { write: true });
    await log.append(entry());
    const whole = readFileSync(path, 'utf8');
    appendFileSync(
      path,
      JSON.stringify(entry({ reminders: [{ itemKey: 'x', stage: 'due-1', title: 'X' }] })).slice(0, 40),
    );
    const reader = ReminderLog.open(path, { write: false });
    expect(reader.entries()).to.have.length(1);
    expect(readFileSync(path, 'utf8')).not.to.equal(whole);
    const writer = ReminderLog.open(path, { write: true });
    expect(readFileSync(path, 'utf8')).to.equal(whole);
    await writer.append(entry({ reminders: [{ itemKey: 'x', stage: 'due-1', title: 'X' }] }));
    expect(ReminderLog.open(path, { write: false }).entries()).to.have.length(2);
  });

  it('when opened read-only, then appending is refused', async () => {
    const path = join(folders.make(), 'db.reminders.jsonl');
    const log = ReminderLog.open(path, { write: false });
    let error: Error | null = null;
    await log.append(entry()).catch((e: Error) => {
      error = e;
    });
    expect(error).to.be.instanceOf(Error);
  });
});
