import { expect } from 'chai';
import { type ScheduleFn, startScheduler } from '../../../jobs/scheduler.js';
import type { Config } from '../../../server/config.js';
import { scheduledJobs } from '../../../server/scheduledJobs.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { REMINDER_AS_OF, spreadDemoOwners } from '../../support/reminderFixtures.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

const noTimers: ScheduleFn = () => ({ stop: () => {} });

/**
 * An instance with its own scheduler; both fire at 07:00 on REMINDER_AS_OF (a Wednesday: the daily
 * reminders are due). The first loads the demo (into the shared database, or its own file); a second on
 * the shared database reads it from there.
 */
async function instance(
  sink: SmtpSink,
  clock: { now: Date },
  config: Partial<Config>,
  loadDemo = true,
): Promise<TestApp> {
  const t = await startTestApp({
    today: REMINDER_AS_OF,
    now: () => clock.now,
    demo: loadDemo,
    config: { smtpUrl: sink.url, reminderRetrySeconds: 0, ...config },
  });
  if (loadDemo) await spreadDemoOwners(t.store);
  return t;
}

async function bothAtSevenOClock(apps: TestApp[], clock: { now: Date }): Promise<void> {
  const schedulers = apps.map((t) =>
    startScheduler(
      scheduledJobs(t.services, () => {}).filter((j) => j.name === 'reminders'),
      {
        tz: t.config.tzName,
        now: () => clock.now,
        schedule: noTimers,
        coordinator: t.services.runCoordinator,
      },
    ),
  );
  await Promise.all(schedulers.map((s) => s.caughtUp));
  clock.now = new Date(`${REMINDER_AS_OF}T07:00:00Z`);
  await Promise.all(schedulers.map((s) => s.tick()));
  // A sweep later that minute on both: the run is recorded, nothing goes again.
  clock.now = new Date(`${REMINDER_AS_OF}T07:00:45Z`);
  await Promise.all(schedulers.map((s) => s.tick()));
  await Promise.all(schedulers.map((s) => s.stop()));
}

const digestRecipients = (sink: SmtpSink) =>
  sink.received.filter((m) => m.subject.startsWith('Due Regard reminder')).map((m) => m.to.join(','));

describe('reminders once across two instances on one PostgreSQL database (real SMTP)', () => {
  let db: TestPgDatabase;
  let sink: SmtpSink;
  let apps: TestApp[] = [];

  beforeEach(async () => {
    db = await createTestPgDatabase('reminders_once');
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const t of apps) {
      t.services.reminders.close();
      await t.close();
    }
    apps = [];
    await db.drop();
    await sink.close();
  });

  it('when both schedulers fire at the same minute, then each reminder is sent exactly once', async () => {
    const clock = { now: new Date(`${REMINDER_AS_OF}T06:59:30Z`) };
    apps = [
      await instance(sink, clock, { databaseUrl: db.url }),
      await instance(sink, clock, { databaseUrl: db.url }, false),
    ];
    const [first, second] = apps;
    expect(second?.store.backend).to.equal('postgres');
    expect(second?.store.list('users').length).to.equal(first?.store.list('users').length);
    await bothAtSevenOClock(apps, clock);

    const digests = digestRecipients(sink);
    expect(digests.length, digests.join(' ')).to.be.at.least(4);
    expect(digests.length, digests.join(' ')).to.equal(new Set(digests).size);
    expect(digests).to.include.members(['coordinator@demo.test', 'facilities@demo.test']);
    // The shared log holds each as sent once, and both instances read it so.
    const [a, b] = apps;
    if (!a || !b) throw new Error('two instances');
    await b.services.reminders.refreshLog();
    const sentB = b.services.reminders.logView().sent.map((e) => e.to);
    const received = sink.received.map((m) => `${m.to.join(',')} ${m.subject}`);
    expect(received.length, received.join('\n')).to.equal(new Set(received).size);
    expect([...sentB].sort()).to.deep.equal(sink.received.map((m) => m.to.join(',')).sort());
  });

  it('without a shared database (the same two instances each on their own file), each would send them', async () => {
    // The control: what the lock and the shared log prevent. Two file stores do not know of each other.
    const clock = { now: new Date(`${REMINDER_AS_OF}T06:59:30Z`) };
    apps = [await instance(sink, clock, {}), await instance(sink, clock, {})];
    await bothAtSevenOClock(apps, clock);
    const digests = digestRecipients(sink);
    expect(digests.length).to.equal(2 * new Set(digests).size);
  });
});
