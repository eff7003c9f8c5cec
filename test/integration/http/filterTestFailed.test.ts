import { expect } from 'chai';
import { addDays, formatDate, londonDate } from '../../../checks/londonDates.js';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const dump = (t: TestApp) => JSON.stringify(t.store.data);

function testForm(testedOn: string, fields: Record<string, string | string[]>) {
  const [year = '', month = '', day = ''] = testedOn.split('-');
  return {
    'testedOn-day': day,
    'testedOn-month': month,
    'testedOn-year': year,
    deviceOrNetwork: 'Public PC 3',
    categoriesTried: ['Extremism', 'Self-harm'],
    notes: '',
    ...fields,
  };
}

describe('HTTP: a failed library filter test (filter-test-failed)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let manager: TestAgent;
  let coordinator: TestAgent;
  let central: string;
  let today: string;

  before(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: sink.url, reminderRetrySeconds: 0 } });
    today = londonDate(new Date());
    central = t.store.list('libraries').find((l) => l.name === 'Northbrook Central Library')!.id;
    manager = await t.signIn('libraries@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  const centralFlags = async (agent: TestAgent) =>
    ((await agent.get('/api/flags')).body as Flag[]).filter(
      (f) => f.rule === 'filter-test-failed' && f.subject.id === central,
    );

  it('when "not blocked" is chosen without saying what got through, or naming a category not tried, then the form is refused with 400 and nothing changes', async () => {
    const before = dump(t);
    const none = await manager.post(
      `/libraries/${central}/filter-tests`,
      testForm(today, { result: 'not-blocked', notes: 'A forum loaded' }),
    );
    expect(none.status).to.equal(400);
    expect(none.text).to.include('Select or enter the categories that were not blocked');
    const untried = await manager.post(
      `/libraries/${central}/filter-tests`,
      testForm(today, { result: 'not-blocked', notes: 'A forum loaded', categoriesNotBlocked: ['Gambling'] }),
    );
    expect(untried.status).to.equal(400);
    expect(untried.text).to.include('Gambling is not among the categories tried');
    const both = await manager.post(
      `/libraries/${central}/filter-tests`,
      testForm(today, { result: 'blocked', categoriesNotBlocked: ['Self-harm'] }),
    );
    expect(both.status).to.equal(400);
    expect(both.text).to.include('You said everything tried was blocked');
    expect(dump(t)).to.equal(before);
  });

  it('when a manager records a test that found a self-harm forum unblocked, then the flag, the dashboard item and an action owned by the manager naming the category follow', async () => {
    expect(await centralFlags(manager)).to.deep.equal([]);
    const res = await manager.post(
      `/libraries/${central}/filter-tests`,
      testForm(today, {
        result: 'not-blocked',
        categoriesNotBlocked: ['Self-harm'],
        notes: 'A self-harm forum loaded; reported to the provider',
      }),
    );
    expect(res.status).to.equal(303);

    const message = `Filter test on ${formatDate(today)} (Public PC 3) found Self-harm not blocked`;
    expect(await centralFlags(manager)).to.deep.equal([
      {
        rule: 'filter-test-failed',
        severity: 'high',
        subject: {
          type: 'library',
          id: central,
          ref: 'Northbrook Central Library',
          name: 'Northbrook Central Library',
        },
        dueOn: today,
        message,
      },
    ]);
    const dashboard = await manager.get('/');
    expect(dashboard.text).to.include(message);
    expect((await coordinator.get('/')).text).to.include(message);

    const actions = t.store.list('actions').filter((a) => a.subjectId === central && a.filterTestId);
    expect(actions).to.have.length(1);
    expect(actions[0]).to.deep.include({
      subjectType: 'library',
      ownerEmail: 'libraries@demo.test',
      dueOn: addDays(today, 7),
      status: 'open',
    });
    expect(actions[0]?.description).to.equal(
      `Get the filter to block Self-harm: not blocked in the filter test on ${formatDate(today)} (Public PC 3)`,
    );
    const page = await manager.get(`/libraries/${central}`);
    expect(page.text).to.include('Get the filter to block Self-harm').and.to.include('Self-harm got through');
    // The attestation form shows the failed test among the facts it keeps.
    const started = await manager.post('/reviews/start', {
      subjectType: 'library',
      subjectId: central,
      from: 'blank',
    });
    const form = await manager.get(started.headers.location as string);
    expect(form.text).to.include(
      `${formatDate(today)}, Public PC 3: Self-harm should have been blocked and was not`,
    );
  });

  it('when the reminder job runs, then the library’s manager and the coordinator both get the failed test in their digest at once', async () => {
    const run = await t.services.reminders.run();
    expect(run.pending).to.deep.equal([]);
    const digestTo = (to: string) =>
      sink.received.find((m) => m.to.includes(to) && m.subject.startsWith('Due Regard reminder'));
    for (const to of ['libraries@demo.test', 'coordinator@demo.test']) {
      const mail = digestTo(to);
      expect(mail, to).to.not.equal(undefined);
      expect(mail!.decoded, to).to.include('found Self-harm not blocked');
    }
  });

  it('when a later test blocks everything tried, Self-harm included, then the flag clears and the automatic action is closed saying why', async () => {
    const res = await manager.post(
      `/libraries/${central}/filter-tests`,
      testForm(today, { deviceOrNetwork: 'Public PC 3 again', result: 'blocked' }),
    );
    expect(res.status).to.equal(303);
    expect(await centralFlags(manager)).to.deep.equal([]);
    const action = t.store.list('actions').find((a) => a.subjectId === central && a.filterTestId)!;
    expect(action).to.deep.include({ status: 'closed', closedBy: 'libraries@demo.test' });
    expect(action.closingNote).to.equal(
      `Everything tried was blocked in the filter test on ${formatDate(today)} (Public PC 3 again)`,
    );
  });

  it('when the demo is loaded, then Hillcrest’s failed Wi-Fi test shows as filter-test-failed with its open action', async () => {
    const flags = ((await coordinator.get('/api/flags')).body as Flag[]).filter(
      (f) => f.rule === 'filter-test-failed',
    );
    expect(flags.map((f) => f.subject.ref)).to.deep.equal(['Hillcrest Library']);
    expect(flags[0]?.message).to.match(/found Extremism not blocked$/);
  });
});
