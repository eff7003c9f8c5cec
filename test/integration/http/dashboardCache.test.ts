import { expect } from 'chai';
import { premisesFields } from '../../support/records.js';
import { csrfFrom, startTestApp, type TestApp } from '../../support/testApp.js';

/** The page inside <main>, where the dashboard's own body goes. */
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
const count = (html: string, severity: string) =>
  Number(new RegExp(`id="count-${severity}">(\\d+)<`).exec(html)?.[1]);

describe('HTTP: the dashboard in production (its page kept until the data changes)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ production: true });
  });
  afterEach(() => t.close());

  it('when the dashboard is read again, then the page is the same and the layout around it is this request’s', async () => {
    const a = await t.signIn('coordinator@demo.test');
    const first = await a.get('/');
    const second = await a.get('/');
    expect(first.status).to.equal(200);
    expect(mainOf(second.text)).to.equal(mainOf(first.text));
    expect(mainOf(first.text)).to.include('govuk-table__caption');
    const nonce = (html: string) => /<script nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce(second.text)).to.not.equal(nonce(first.text));
    expect(second.text).to.include('Casey Coordinator');
  });

  it('when many read it at once and again (its buffers reused), then each page carries the nonce of its own answer’s policy and the sign-out token of its own session', async () => {
    const agents = [
      await t.signIn('coordinator@demo.test'),
      await t.signIn('coordinator@demo.test'),
      await t.signIn('coordinator@demo.test'),
    ];
    const tokens = agents.map((a) => a.csrf);
    const nonces = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => agents[i % 3]!.get('/').then((r) => ({ i, r }))),
      );
      for (const { i, r } of answers) {
        const inPage = /<script nonce="([^"]+)"/.exec(r.text)?.[1] ?? '';
        expect(String(r.headers['content-security-policy'])).to.include(`'nonce-${inPage}'`);
        expect(csrfFrom(r.text)).to.equal(tokens[i % 3]);
        expect(r.text).to.match(/<\/html>\s*$/);
        nonces.add(inPage);
      }
    }
    expect(nonces.size).to.equal(96);
  });

  it('when the same person signs in twice, then each session’s kept page carries its own sign-out token, and it works', async () => {
    const first = await t.signIn('coordinator@demo.test');
    const second = await t.signIn('coordinator@demo.test');
    const a = (await first.get('/')).text;
    const b = (await second.get('/')).text;
    expect(mainOf(b)).to.equal(mainOf(a));
    expect(csrfFrom(a)).to.not.equal(csrfFrom(b));
    expect(b).to.match(/^<!DOCTYPE html>/i);
    const out = await second.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(b) });
    expect(out.status).to.equal(303);
    expect((await second.get('/')).status).to.equal(303);
    expect((await first.get('/')).status).to.equal(200);
  });

  it('when a change is saved, then the next dashboard shows it', async () => {
    const a = await t.signIn('coordinator@demo.test');
    const before = (await a.get('/')).text;
    await t.store.transact('test', (tx) =>
      tx.insert('premises', premisesFields('NEW-1', { name: 'New depot' })),
    );
    const after = (await a.get('/')).text;
    expect(count(after, 'high')).to.equal(count(before, 'high') + 1);
    expect((await a.get('/?type=premises&rule=review-overdue')).text).to.include('New depot');
  });

  it('when two people of different roles read it, then each sees their own flags, name and sign-out token', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const facilities = await t.signIn('facilities@demo.test');
    const c = (await coordinator.get('/')).text;
    const f = (await facilities.get('/')).text;
    expect(mainOf(f)).to.not.equal(mainOf(c));
    expect(mainOf(c)).to.match(/School \d+/);
    expect(mainOf(f)).to.not.match(/School \d+/);
    expect(csrfFrom(f)).to.not.equal(csrfFrom(c));
    expect(f).to.include('Fran Facilities');
    expect(f).to.not.include('Casey Coordinator');
  });

  it('when a message is waiting to be shown, then the dashboard shows it once', async () => {
    const a = await t.signIn('coordinator@demo.test');
    await a.get('/');
    const viewer = t.store.list('users').find((u) => u.email === 'viewer@demo.test')!;
    expect((await a.post(`/users/${viewer.id}/deactivate`)).status).to.equal(303);
    const withMessage = await a.get('/');
    expect(withMessage.text).to.include('was deactivated and signed out');
    expect((await a.get('/')).text).to.not.include('was deactivated and signed out');
  });
});
