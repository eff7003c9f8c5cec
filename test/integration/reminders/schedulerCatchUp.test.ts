import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import { listBackups } from '../../../jobs/backupJob.js';
import { type ScheduleFn, startScheduler } from '../../../jobs/scheduler.js';
import { scheduledJobs } from '../../../server/scheduledJobs.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

const noTimers: ScheduleFn = () => ({ stop: () => {} });
const outboxFiles = (t: TestApp) =>
  existsSync(t.config.outboxDir) ? readdirSync(t.config.outboxDir).filter((f) => f.endsWith('.eml')) : [];

describe('scheduler with the real jobs: catch-up at start', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    t.services.reminders.close();
    await t.close();
  });

  it('when a scheduled run was missed while the server was down, then the server runs reminders once at start', async () => {
    await t.store.transact('test', (tx) =>
      tx.setMeta((m) => {
        m.jobRuns.reminders = '2026-01-02T07:00:00.000Z';
      }),
    );
    const lines: string[] = [];
    const s = startScheduler(
      scheduledJobs(t.services, (l) => lines.push(l)),
      {
        tz: t.config.tzName,
        schedule: noTimers,
      },
    );
    await s.stop();
    const sent = outboxFiles(t).length;
    expect(sent).to.be.at.least(2);
    expect(lines).to.have.length(1);
    expect((t.store.data.meta.jobRuns.reminders ?? '') > '2026-01-02T07:00:00.000Z').to.equal(true);

    // Started again straight away: nothing was missed, nothing runs, nothing is sent twice.
    const again = startScheduler(
      scheduledJobs(t.services, (l) => lines.push(l)),
      {
        tz: t.config.tzName,
        schedule: noTimers,
      },
    );
    await again.stop();
    expect(lines).to.have.length(1);
    expect(outboxFiles(t)).to.have.length(sent);
  });

  it('when the reminders have never run, then start-up sends nothing (the first scheduled time will)', async () => {
    const s = startScheduler(
      scheduledJobs(t.services, () => {}),
      { tz: t.config.tzName, schedule: noTimers },
    );
    await s.stop();
    expect(outboxFiles(t)).to.deep.equal([]);
  });

  it('when the daily backup and retention runs were missed, then both run once at start and record it', async () => {
    await t.store.transact('test', (tx) =>
      tx.setMeta((m) => {
        m.jobRuns.backup = '2026-01-02T02:30:00.000Z';
        m.jobRuns.retention = '2026-01-02T03:00:00.000Z';
      }),
    );
    const lines: string[] = [];
    const s = startScheduler(
      scheduledJobs(t.services, (l) => lines.push(l)),
      {
        tz: t.config.tzName,
        schedule: noTimers,
      },
    );
    await s.stop();
    expect(listBackups(t.dbPath)).to.have.length(1);
    expect(lines.some((l) => l.startsWith('Backup written to'))).to.equal(true);
    expect((t.store.data.meta.jobRuns.backup ?? '') > '2026-01-02T02:30:00.000Z').to.equal(true);
    expect((t.store.data.meta.jobRuns.retention ?? '') > '2026-01-02T03:00:00.000Z').to.equal(true);
    // Reminders had never run: not caught up.
    expect(outboxFiles(t)).to.deep.equal([]);
  });
});
