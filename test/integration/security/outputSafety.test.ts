import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { DEMO_PASSWORD, startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** Breaks out of an element and out of a quoted attribute, if anything is left unescaped. */
const EVIL = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

function expectInert(html: string, where: string) {
  expect(html, `${where}: the script tag is escaped`).to.not.include('<script>alert(1)');
  expect(html, `${where}: the attribute break-out is escaped`).to.not.match(/<img src=x/);
  expect(html, `${where}: the name is shown, escaped`).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
}

describe('Security: output safety (names render inert everywhere)', () => {
  let t: TestApp;
  let c: TestAgent;
  let premisesId: string;
  let reviewPath: string;
  before(async () => {
    t = await startTestApp();
    c = await t.signIn('coordinator@demo.test');
    const created = await c.post('/premises', { ref: 'XSS-1', name: EVIL });
    expect(created.status).to.equal(303);
    premisesId = String(created.headers.location).split('/').pop()!;
    await c.post('/users', { name: EVIL, email: 'evil.name@demo.test', role: 'facilities' });
    await t.services.users.create(
      'test',
      { name: EVIL, email: 'evil.two@demo.test', role: 'coordinator' },
      DEMO_PASSWORD,
    );
    const started = await c.post('/reviews/start', { subjectType: 'premises', subjectId: premisesId });
    reviewPath = String(started.headers.location);
    const form = await c.get(reviewPath);
    const version = groupOf(/name="version" value="(\d+)"/, form.text);
    const saved = await c.post(reviewPath, { version, notes: EVIL, 'answer-P1': 'no', 'comment-P1': EVIL });
    expect(saved.status).to.equal(303);
  });
  after(() => t.close());

  it('when a premises name is markup, then every page that shows it escapes it', async () => {
    for (const path of [
      '/premises',
      `/premises/${premisesId}`,
      `/premises/${premisesId}/edit`,
      '/',
      reviewPath,
      `/audit?recordId=${premisesId}`,
    ]) {
      const res = await c.get(path);
      expect(res.status, path).to.equal(200);
      expectInert(res.text, path);
    }
  });

  it('when a user name is markup, then the Users page, the header and their account page escape it', async () => {
    expectInert((await c.get('/users')).text, '/users');
    const evil = await t.signIn('evil.two@demo.test');
    for (const path of ['/', '/account', '/users'])
      expectInert((await evil.get(path)).text, `${path} as that user`);
  });

  it('when review notes and answer notes are markup, then the draft form and the submitted review escape them', async () => {
    expectInert((await c.get(reviewPath)).text, 'draft review');
    const form = await c.get(reviewPath);
    const version = groupOf(/name="version" value="(\d+)"/, form.text);
    const answers: Record<string, string> = { version, intent: 'submit', notes: EVIL };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    answers['answer-P1'] = 'no';
    answers['comment-P1'] = EVIL;
    const submitted = await c.post(reviewPath, answers);
    expect(submitted.status).to.equal(303);
    expectInert((await c.get(reviewPath)).text, 'submitted review');
  });

  it('when a saved name is markup and someone saves over it, then the conflict page escapes both versions', async () => {
    const opened = String(t.store.get('premises', premisesId)!.version);
    const first = await c.post(`/premises/${premisesId}`, {
      ref: 'XSS-1',
      name: `${EVIL} (saved)`,
      version: opened,
    });
    expect(first.status).to.equal(303);
    const res = await c.post(`/premises/${premisesId}`, {
      ref: 'XSS-1',
      name: `${EVIL} (mine)`,
      version: opened,
    });
    expect(res.status).to.equal(409);
    expectInert(res.text, 'conflict page');
  });

  it('when an API token name is markup, then the tokens page escapes it', async () => {
    await c.refreshCsrf('/tokens');
    await c.post('/tokens', { name: EVIL });
    expectInert((await c.get('/tokens')).text, '/tokens');
  });
});
