import { itemAt } from '../../../data/itemAt.js';
import { rmSync } from 'node:fs';
import { expect } from 'chai';
import { londonDate } from '../../../checks/londonDates.js';
import { openStore } from '../../../data/store/openStore.js';
import type { Store } from '../../../data/store/store.js';
import { createServices, type Services } from '../../../server/services/createServices.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

/** The secret startTestApp gives the app (status links and CSRF keys derive from it). */
const SECRET = 'test-secret-0123456789abcdef0123456789';

async function until<T>(what: string, fn: () => T | undefined, ms = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Running {
  store: Store;
  services: Services;
}

/** Stops the services and the database as the server does, then opens them again on the same file. */
async function restart(t: TestApp, current: Running): Promise<Running> {
  current.services.notifications.close();
  await current.services.notifications.idle();
  current.services.reminders.close();
  await current.store.close();
  const store = await openStore(t.config);
  return { store, services: createServices(store, t.config, SECRET) };
}

const referralsTo = (sink: SmtpSink, to: string, ref: string) =>
  sink.received.filter(
    (m) => m.to.includes(to) && m.subject === `Booking ${ref} is referred to you for a decision`,
  );

describe('Notifications: sent at once, recorded once sent, retried, never twice (SPEC §13)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let running: Running;
  beforeEach(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: sink.url, reminderRetrySeconds: 0 } });
    running = { store: t.store, services: t.services };
  });
  afterEach(async () => {
    running.services.notifications.close();
    await running.services.notifications.idle();
    running.services.reminders.close();
    await running.store.close();
    rmSync(t.dir, { recursive: true, force: true });
    await sink.close();
  });

  const provisional = (store: Store) => store.list('bookings').find((b) => b.status === 'provisional')!;
  const coordinators = (store: Store) =>
    store
      .list('users')
      .filter((u) => u.role === 'coordinator' && u.active)
      .map((u) => u.email);

  async function refer(agentEmail: string) {
    const b = provisional(t.store);
    const officer = await t.signIn(agentEmail);
    const res = await officer.post(`/bookings/${b.id}/decision`, {
      decision: 'referred',
      rationale: 'A speaker needs the coordinator’s view.',
      version: String(b.version),
    });
    expect(res.status, res.text.slice(0, 200)).to.equal(303);
    return b;
  }

  it('when a booking officer refers a booking, then every coordinator has the email within seconds, exactly once across a restart', async () => {
    const started = Date.now();
    const b = await refer('facilities@demo.test');
    for (const c of coordinators(t.store))
      await until(`the referral to ${c}`, () => referralsTo(sink, c, b.ref)[0]);
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.below(5000);
    const email = itemAt(referralsTo(sink, 'coordinator@demo.test', b.ref), 0);
    expect(email.decoded).to.include(`/bookings/${b.id}`);
    expect(email.decoded).to.include('Fran Facilities');

    running = await restart(t, running);
    await running.services.notifications.kick();
    running = await restart(t, running);
    await running.services.notifications.kick();
    for (const c of coordinators(running.store)) expect(referralsTo(sink, c, b.ref), c).to.have.length(1);
    expect(running.services.notifications.pending()).to.have.length(0);
  });

  it('when the mail server is down at the referral, then the email is sent after a restart, once', async () => {
    sink.failNext = 1000;
    const b = await refer('facilities@demo.test');
    await until('the failed run', () =>
      t.store.list('notifications').find((n) => n.kind === 'referral' && n.failedRuns > 0),
    );
    expect(referralsTo(sink, 'coordinator@demo.test', b.ref)).to.have.length(0);
    const failedSubjects = () => running.services.reminders.logView().failed.map((e) => e.subject);
    expect(failedSubjects()).to.include(`Booking ${b.ref} is referred to you for a decision`);

    sink.failNext = 0;
    running = await restart(t, running);
    await running.services.notifications.kick();
    expect(referralsTo(sink, 'coordinator@demo.test', b.ref)).to.have.length(1);
    expect(failedSubjects()).not.to.include(`Booking ${b.ref} is referred to you for a decision`);
    running = await restart(t, running);
    await running.services.notifications.kick();
    expect(referralsTo(sink, 'coordinator@demo.test', b.ref)).to.have.length(1);
  });

  it('when the server stopped after the mail server accepted the email but before the notification was marked done, then it is not sent again', async () => {
    const b = await refer('facilities@demo.test');
    await until('the referral', () => referralsTo(sink, 'coordinator@demo.test', b.ref)[0]);
    await t.services.notifications.idle();
    // As if the process died between the SMTP server's acceptance (in the sent log) and marking it done.
    const n = t.store.list('notifications').find((x) => x.kind === 'referral')!;
    await t.store.transact('test', (tx) => tx.update('notifications', n.id, { doneAt: null }));
    running = await restart(t, running);
    await running.services.notifications.kick();
    expect(referralsTo(sink, 'coordinator@demo.test', b.ref)).to.have.length(1);
    expect(running.store.get('notifications', n.id)!.doneAt).to.be.a('string');
  });

  it('when the coordinator decides a booking, then its booking officer is emailed the decision; when a filter test fails, the coordinators are', async () => {
    const b = provisional(t.store);
    const coordinator = t.store.list('users').find((u) => u.email === 'coordinator@demo.test')!;
    await t.services.bookings.decide(coordinator, b.id, {
      decision: 'cancelled',
      rationale: 'The hirer withdrew.',
      conditions: [],
      balancing: { expression: '', equality: '', alternatives: '' },
      version: b.version,
    });
    const toOfficer = await until('the decision email', () =>
      sink.received.find(
        (m) => m.to.includes(b.bookingOfficerEmail!) && m.subject.startsWith(`Booking ${b.ref}:`),
      ),
    );
    expect(toOfficer.subject).to.equal(`Booking ${b.ref}: cancelled`);

    const library = itemAt(t.store.list('libraries'), 0);
    await t.services.libraries.addFilterTest(coordinator, library.id, {
      testedOn: londonDate(t.store.now()),
      deviceOrNetwork: 'Public PC 3',
      categoriesTried: ['Terrorist content'],
      result: 'not-blocked',
      categoriesNotBlocked: ['Terrorist content'],
      notes: null,
    });
    const failed = await until('the filter test email', () =>
      sink.received.find((m) => m.subject === `Filter test failed at ${library.name}`),
    );
    expect(failed.to).to.deep.equal(['coordinator@demo.test']);
    expect(failed.decoded).to.include(`/libraries/${library.id}`);
  });
});
