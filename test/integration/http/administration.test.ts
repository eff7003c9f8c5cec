import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import { csrfFrom, startTestApp, type TestApp } from '../../support/testApp.js';
import request from 'supertest';
import { pageText } from '../../support/importHelpers.js';
import { differences } from '../../support/conflictPage.js';
import { formFields } from '../../support/formFields.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { TestClock } from '../../support/testClock.js';

/** A visitor with their own cookies: GET a page, then POST its form with the page's CSRF token. */
async function submit(t: TestApp, path: string, form: Record<string, string>, agent = request.agent(t.app)) {
  const page = await agent.get(path);
  if (page.status !== 200) return { agent, res: page };
  const res = await agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...form });
  return { agent, res };
}

describe('First run: the setup link', function () {
  this.timeout(30_000);
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ demo: false });
  });
  afterEach(() => t.close());

  it('when the database has no account, then the setup link creates the first coordinator, signs them in, and then every setup path is 404', async () => {
    const link = t.services.setup.startLink()!;
    expect(link).to.match(/^http:\/\/localhost:\d+\/setup\/[\w-]{43}$/);
    const path = new URL(link).pathname;
    // A wrong token is not the page.
    expect((await request(t.app).get('/setup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).to.equal(
      404,
    );

    const bad = await submit(t, path, {
      name: '',
      email: 'not an email',
      password: 'short',
      confirm: 'short',
    });
    expect(bad.res.status).to.equal(400);
    expect(pageText(bad.res.text)).to.include('Enter a name');
    expect(pageText(bad.res.text)).to.include('Password must be at least 12 characters');
    const mismatch = await submit(t, path, {
      name: 'Cleo Coordinator',
      email: 'cleo@northbrook.test',
      password: 'northbrook prevent lead',
      confirm: 'northbrook prevent leaf',
    });
    expect(pageText(mismatch.res.text)).to.include('The passwords do not match');
    expect(t.store.list('users')).to.have.length(0);

    const { agent, res } = await submit(t, path, {
      name: 'Cleo Coordinator',
      email: 'Cleo@Northbrook.test',
      password: 'northbrook prevent lead',
      confirm: 'northbrook prevent lead',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/users');
    const users = await agent.get('/users');
    expect(users.status).to.equal(200);
    expect(pageText(users.text)).to.include('Cleo Coordinator');
    const [cleo] = t.store.list('users');
    expect(cleo).to.include({
      email: 'cleo@northbrook.test',
      role: 'coordinator',
      mustChangePassword: false,
    });

    // Used: the link and any other setup path answer 404, and a new link is not made.
    expect((await request(t.app).get(path)).status).to.equal(404);
    expect((await request(t.app).post(path).type('form').send({})).status).to.be.oneOf([403, 404]);
    expect(t.services.setup.startLink()).to.equal(null);
    // And the password works at the sign-in page.
    const signIn = await submit(t, '/login', {
      email: 'cleo@northbrook.test',
      password: 'northbrook prevent lead',
    });
    expect(signIn.res.status).to.equal(303);
  });

  it('when the server has not made a link (an account exists), then /setup is 404', async () => {
    expect((await request(t.app).get('/setup/anything-at-all-here-12345')).status).to.equal(404);
    const demo = await startTestApp();
    try {
      expect(demo.services.setup.startLink()).to.equal(null);
    } finally {
      await demo.close();
    }
  });
});

describe('Users: invitations by email, resend, edit', function () {
  this.timeout(60_000);
  let t: TestApp;
  let smtp: SmtpSink;
  const clock = new TestClock('2026-06-01T09:00:00Z');
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(() => smtp.close());
  beforeEach(async () => {
    smtp.received.length = 0;
    t = await startTestApp({
      now: clock.now,
      config: { smtpUrl: smtp.url, baseUrl: 'http://dueregard.northbrook.test' },
    });
  });
  afterEach(() => t.close());

  const linkIn = (to: string) => {
    const mail = smtp.received.filter((m) => m.to.includes(to)).at(-1);
    if (!mail) throw new Error(`No email to ${to}`);
    return new URL(groupOf(/(http:\/\/dueregard\.northbrook\.test\/invitation\/[\w-]{43})/, mail.decoded))
      .pathname;
  };

  it('when a coordinator adds a user, then they are emailed a single-use link, valid 72 hours, that sets their password and signs them in', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const res = await c.post('/users', {
      name: 'Femi Facilities',
      email: 'femi@northbrook.test',
      role: 'facilities',
    });
    expect(res.status).to.equal(303);
    expect(pageText((await c.get('/users')).text)).to.include('Invitation sent to femi@northbrook.test');
    const mail = smtp.received.at(-1)!;
    expect(mail.to).to.deep.equal(['femi@northbrook.test']);
    expect(mail.decoded).to.include('Casey Coordinator has given you an account');
    expect(mail.decoded).to.include('as Facilities');
    const path = linkIn('femi@northbrook.test');
    // Only a hash of the link is stored.
    expect(JSON.stringify(t.store.data)).to.not.include(path.split('/').at(-1));
    // Nobody can sign in to the account before the link is used.
    expect(t.services.users.byEmail('femi@northbrook.test')!.mustChangePassword).to.equal(false);

    const mismatch = await submit(t, path, {
      password: 'femi books the halls',
      confirm: 'femi books the hall',
    });
    expect(mismatch.res.status).to.equal(400);
    expect(pageText(mismatch.res.text)).to.include('The passwords do not match');
    const { agent, res: set } = await submit(t, path, {
      password: 'femi books the halls',
      confirm: 'femi books the halls',
    });
    expect(set.status).to.equal(303);
    expect((await agent.get('/premises')).status).to.equal(200);
    // Single use.
    expect((await request(t.app).get(path)).status).to.equal(404);
  });

  it('when the link is older than 72 hours, or a new invitation was sent, then it is 404; the resent one works', async () => {
    const c = await t.signIn('coordinator@demo.test');
    await c.post('/users', { name: 'Edu Cator', email: 'edu@northbrook.test', role: 'education' });
    const first = linkIn('edu@northbrook.test');
    clock.advanceMinutes(72 * 60 + 1);
    expect((await request(t.app).get(first)).status).to.equal(404);
    const user = t.services.users.byEmail('edu@northbrook.test')!;
    const c2 = await t.signIn('coordinator@demo.test');
    expect(pageText((await c2.get('/users')).text)).to.include('Invitation expired');
    expect((await c2.post(`/users/${user.id}/invite`)).status).to.equal(303);
    const second = linkIn('edu@northbrook.test');
    expect(second).to.not.equal(first);
    expect((await request(t.app).get(second)).status).to.equal(200);
    // A resend replaces the earlier link.
    await c2.post(`/users/${user.id}/invite`);
    expect((await request(t.app).get(second)).status).to.equal(404);
    // Deactivation ends it too.
    const third = linkIn('edu@northbrook.test');
    await c2.post(`/users/${user.id}/deactivate`);
    expect((await request(t.app).get(third)).status).to.equal(404);
  });

  it('when a coordinator edits a user, then name, role and libraries change; a library manager needs a library; a lost role ends their sessions', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const viewerAgent = await t.signIn('viewer@demo.test');
    // As the edit form holds it: after the viewer's sign-in (which counts the check on the account).
    const viewer = { ...t.services.users.byEmail('viewer@demo.test')! };
    const form = await c.get(`/users/${viewer.id}/edit`);
    expect(form.status).to.equal(200);
    await c.refreshCsrf(`/users/${viewer.id}/edit`);
    const noLibrary = await c.post(`/users/${viewer.id}`, {
      name: 'Vic Viewer',
      role: 'library-manager',
      version: String(viewer.version),
    });
    expect(noLibrary.status).to.equal(400);
    expect(pageText(noLibrary.text)).to.include('Select at least one library for a library manager');
    const long = await c.post(`/users/${viewer.id}`, {
      name: 'x'.repeat(201),
      role: 'viewer',
      version: String(viewer.version),
    });
    // Refused by the one field-length check that runs before every form (SPEC §10), naming the field.
    expect(long.status).to.equal(400);
    expect(pageText(long.text)).to.include('Name must be 200 characters or fewer');
    expect(t.store.get('users', viewer.id)?.name).to.equal(viewer.name);
    const library = t.store.list('libraries')[0]!;
    const ok = await c.post(`/users/${viewer.id}`, {
      name: 'Vic Viewer',
      role: 'library-manager',
      libraryIds: library.id,
      version: String(viewer.version),
    });
    expect(ok.status).to.equal(303);
    expect(t.store.get('users', viewer.id)).to.deep.include({
      name: 'Vic Viewer',
      role: 'library-manager',
      libraryIds: [library.id],
    });
    // Their session ended with the old role.
    expect((await viewerAgent.get('/')).status).to.equal(303);
    // An edit from a form opened before this one is refused as changed meanwhile.
    const stale = await c.post(`/users/${viewer.id}`, {
      name: 'Old',
      role: 'viewer',
      version: String(viewer.version),
    });
    expect(stale.status).to.equal(409);
    // A coordinator cannot take away their own role.
    const self = { ...t.services.users.byEmail('coordinator@demo.test')! };
    const demote = await c.post(`/users/${self.id}`, {
      name: self.name,
      role: 'viewer',
      version: String(self.version),
    });
    expect(demote.status).to.equal(400);
    expect(t.store.get('users', self.id)!.role).to.equal('coordinator');
  });

  it('when the user signs in while a coordinator has their edit page open, then the coordinator’s change saves (nothing the form shows changed); a change to what it shows is still refused', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const education = t.services.users.byEmail('education@demo.test')!;
    const page = await c.get(`/users/${education.id}/edit`);
    const { _csrf, ...opened } = formFields(page.text, `/users/${education.id}`);
    expect(opened.shown).to.be.a('string');
    // The user signs in: the sign-in counts and clears its check on the account, a new version each time.
    await t.signIn('education@demo.test');
    expect(t.store.get('users', education.id)!.version).to.be.greaterThan(Number(opened.version));
    await c.refreshCsrf(`/users/${education.id}/edit`);
    const saved = await c.post(`/users/${education.id}`, { ...opened, name: 'Eddie Educator' });
    expect(saved.status).to.equal(303);
    expect(t.store.get('users', education.id)!.name).to.equal('Eddie Educator');
    // Opened again; then another coordinator renames them: the first one's save shows the change instead.
    const { _csrf: _, ...again } = formFields(
      (await c.get(`/users/${education.id}/edit`)).text,
      `/users/${education.id}`,
    );
    await t.services.users.update(
      'coordinator@demo.test',
      education.id,
      {
        name: 'Edwina Education',
        role: 'education',
        libraryIds: [],
      },
      t.store.get('users', education.id)!.version,
    );
    const stale = await c.post(`/users/${education.id}`, { ...again, name: 'Eddie Edits' });
    expect(stale.status).to.equal(409);
    expect(Object.fromEntries(differences(stale.text))).to.deep.equal({
      Name: { yours: 'Eddie Edits', theirs: 'Edwina Education' },
    });
    expect(t.store.get('users', education.id)!.name).to.equal('Edwina Education');
  });
});
