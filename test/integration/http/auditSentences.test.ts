import { expect } from 'chai';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import type { AuditEntry } from '../../../data/store/auditLog.js';
import { ERASED } from '../../../data/store/personalFields.js';
import { auditSignIn } from '../../../server/auth/signInAudit.js';
import { CODED_FIELDS, createValueWords } from '../../../server/services/auditValues.js';
import { premisesFields } from '../../support/records.js';
import { csrfFrom, startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** What a person reads on the page: the main content without tags, attributes or the closed "as logged" entries. */
function visibleText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? '';
  return main
    .replace(/<details[\s\S]*?<\/details>/g, ' ')
    .replace(/<(select|script)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

describe('HTTP: the audit log in sentences (SPEC §17)', () => {
  let t: TestApp;
  let c: TestAgent;
  let premisesId: string;
  before(async () => {
    t = await startTestApp();
    const p = await t.store.transact('facilities@demo.test', (tx) =>
      tx.insert('premises', premisesFields('RV-1', { name: 'Riverside Community Centre', risk: 'low' })),
    );
    premisesId = p.id;
    await t.store.transact('facilities@demo.test', (tx) =>
      tx.update('premises', premisesId, { risk: 'high', name: 'Riverside Centre' }),
    );
    // A password change: the log holds a fingerprint, the page says only that it changed.
    const viewer = t.store.list('users').find((u) => u.email === 'viewer@demo.test');
    if (!viewer) throw new Error('no demo viewer');
    await t.store.transact('coordinator@demo.test', (tx) =>
      tx.update('users', viewer.id, { passwordHash: 'scrypt$new-hash-for-the-test' }),
    );
    c = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  it('when a coordinator reads a change, then it is a sentence with the actor’s and subject’s names, a link, and the fields by their form labels', async () => {
    const res = await c.get(`/audit?recordId=${premisesId}`);
    expect(res.status).to.equal(200);
    const text = visibleText(res.text);
    expect(text).to.include('Fran Facilities added the premises Riverside Community Centre (RV-1)');
    expect(text).to.include('Fran Facilities changed the premises Riverside Centre (RV-1)');
    expect(res.text).to.include(
      `<a class="govuk-link" href="/premises/${premisesId}">Riverside Centre (RV-1)</a>`,
    );
    // Coded values in the form's words (its radios say Low, Medium, High).
    expect(text).to.include('Prevent risk rating : Low → High');
    expect(text).to.include('Name of the building : Riverside Community Centre → Riverside Centre');
    expect(text).to.not.match(UUID);
    expect(text).to.not.include('facilities@demo.test');
    expect(text).to.not.match(/[{}]/);
  });

  it('when a coded value changed, then it reads in the form’s words wherever a field is coded, never as stored', () => {
    const words = createValueWords(t.store);
    // Every value of every coded field of every record type, said in words: none as its stored code.
    let checked = 0;
    for (const [collection, fields] of CODED_FIELDS)
      for (const [field, values] of fields)
        for (const value of values) {
          const said = words(collection, field, value);
          expect(said, `${collection}.${field} = ${value}`).to.not.equal(value);
          expect(said, `${collection}.${field} = ${value}`).to.match(/^[A-Z]/);
          checked++;
        }
    expect(checked).to.be.greaterThan(80);
    expect(words('leadTraining', 'type', 'wrap')).to.equal('WRAP (Workshop to Raise Awareness of Prevent)');
    expect(words('staffRecords', 'trainingType', 'wrap')).to.equal(
      'WRAP (Workshop to Raise Awareness of Prevent)',
    );
    expect(words('homeEducationCounts', 'term', 'autumn')).to.equal('Autumn term');
    expect(words('bookings', 'status', 'provisional')).to.equal('Provisional');
    expect(words('watchlists', 'format', 'ofsi')).to.equal('OFSI consolidated list');
    // A field that is not coded keeps what was typed, even when it reads like a code.
    expect(words('bookings', 'eventTitle', 'wrap')).to.equal('wrap');
  });

  it('when an entry refers to a person, a list or a checklist answer, then it names them in words', async () => {
    const screenings = visibleText((await c.get('/audit?collection=bookingScreenings')).text);
    expect(screenings).to.include('Screened by : Fran Facilities').and.not.include('facilities@demo.test');
    const entries = visibleText((await c.get('/audit?collection=watchlistEntries')).text);
    expect(entries).to.match(/List : Demo sanctions list [^:]*, dated \d{1,2} \w+ \d{4}/);
    expect(entries).to.not.include('a record since removed');
    const reviews = visibleText((await c.get('/audit?collection=reviews&who=demo')).text);
    expect(reviews).to.include('Answer: Yes').and.not.include('Answer: yes');
  });

  it('when someone signs in, is locked out, unlocked or signed out everywhere, then the entries say that, not "changed the user"', async () => {
    const education = t.services.users.byEmail('education@demo.test');
    if (!education) throw new Error('no demo education user');
    // Ten wrong passwords, each from its own address (so only the account's limit is reached).
    for (let i = 1; i <= 10; i++) {
      const agent = request.agent(t.app);
      const page = await agent.get('/login');
      await agent
        .post('/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: 'education@demo.test', password: 'not-the-password-1' });
    }
    expect(t.services.users.byEmail('education@demo.test')?.lockedUntil).to.not.equal(null);
    await t.services.users.unlock('coordinator@demo.test', education.id);
    await t.services.users.signOutEverywhere('coordinator@demo.test', education.id);
    const res = await c.get(`/audit?recordId=${education.id}`);
    const text = visibleText(res.text);
    expect(text).to.include('The sign-in service counted a sign-in attempt by the user Eddie Education');
    expect(text).to.include('Sign-in attempts counted : 9 → 10');
    expect(text).to.include(
      'The sign-in service locked the user Eddie Education out after too many failed sign-ins',
    );
    expect(text).to.match(/Locked out until : Not locked → \d+ December 2026 at/);
    expect(text).to.include('Casey Coordinator unlocked the user Eddie Education');
    expect(text).to.include('Casey Coordinator signed the user Eddie Education out everywhere');
    // A right password clears the count (the coordinator's own sign-in, in before()).
    const own = visibleText((await c.get('/audit?collection=users&who=sign-in')).text);
    expect(own).to.include(
      'The sign-in service cleared the sign-in attempts counted for the user Casey Coordinator',
    );
    // Never the developer's words: no "changed" for bookkeeping, no session counter, no "Failed sign ins".
    expect(`${text} ${own}`).to.not.match(/changed the user Eddie Education|Session epoch|Failed sign ins/);
    // A new user's secrets are "Set", their empty ones not listed at all.
    const added = visibleText((await c.get('/audit?collection=users&who=demo')).text);
    expect(added)
      .to.include('Password : Set (secret, never shown)')
      .and.not.include('Calendar link : Removed');
  });

  it('when a coordinator wants the entry itself, then it is one click away, as logged (secrets as fingerprints)', async () => {
    const res = await c.get(`/audit?recordId=${premisesId}`);
    const raw = /<details[\s\S]*?<pre class="app-audit-raw">([\s\S]*?)<\/pre>/.exec(res.text)?.[1] ?? '';
    expect(raw).to.include(premisesId).and.include('&#34;actor&#34;: &#34;facilities@demo.test&#34;');
  });

  it('when a password changes, then the page says it changed and shows neither the hash nor its fingerprint', async () => {
    const res = await c.get('/audit?collection=users&who=coordinator');
    const text = visibleText(res.text);
    expect(text).to.include('Casey Coordinator changed the user Vic Viewer');
    expect(text).to.include('Password : Changed (secret, never shown)');
    // Coded values in words: a role by the name the users page gives it.
    const added = visibleText((await c.get('/audit?collection=users&who=demo')).text);
    expect(added).to.include('Role : Prevent coordinator').and.not.include('Role : coordinator');
    // Who decided a booking, by name and role in words.
    const decisions = visibleText((await c.get('/audit?collection=bookingDecisions')).text);
    expect(decisions).to.include('Decided by : Fran Facilities').and.include('Decided by role : Facilities');
    expect(res.text).to.not.include('scrypt$');
    expect(text).to.not.include('secret:');
  });

  it('when someone signs in or is refused, then the entry reads "signed in with …" or "was refused sign-in …"', async () => {
    const casey = t.store.list('users').find((u) => u.email === 'coordinator@demo.test');
    await auditSignIn(t.store, 'coordinator@demo.test', casey?.id ?? null, {
      outcome: 'signed in',
      method: 'single sign-on',
    });
    await auditSignIn(t.store, 'stranger@example.org', null, {
      outcome: 'refused',
      method: 'single sign-on',
      reason: 'No account has this email address',
    });
    const text = visibleText((await c.get('/audit?collection=users')).text);
    expect(text).to.include('Casey Coordinator signed in with single sign-on');
    expect(text).to.include(
      'stranger@example.org was refused sign-in with single sign-on: No account has this email address',
    );
  });

  it('when filtering by person (by name), area and kind of record, then only those entries show, and the menus are in words', async () => {
    const byName = await c.get('/audit?who=fran&area=premises');
    expect(byName.text).to.include('2 entries');
    // A job is found by the name the page gives it, too.
    const job = visibleText((await c.get('/audit?who=demo+set-up')).text);
    expect(job)
      .to.match(/[1-9]\d* entries/)
      .and.include('The demo set-up added');
    const hallHire = visibleText((await c.get('/audit?area=hall-hire')).text);
    expect(hallHire).to.not.include('the premises Riverside');
    expect(hallHire).to.match(/the (booking|hirer|hall) /);
    const page = (await c.get('/audit')).text;
    expect(page).to.include('<option value="leadTraining">Prevent lead training records</option>');
    expect(page).to.include('<option value="hall-hire">Hall hire</option>');
    expect(page).to.not.match(/<option value="\w+">(leadTraining|homeEducationCounts)</);
  });

  it('when the log is sorted by what happened, then it reads by who did it, A to Z or Z to A, each person’s entries newest first', async () => {
    const all = await t.services.audit.search({});
    const name = (actor: string) => t.services.audit.words.actorName(actor).toLowerCase();
    const seqsOn = (html: string) => [...html.matchAll(/Entry (\d+) as logged/g)].map((m) => Number(m[1]));
    for (const dir of ['asc', 'desc'] as const) {
      const res = await c.get(`/audit?sort=what&dir=${dir}`);
      expect(res.status).to.equal(200);
      const sign = dir === 'asc' ? 1 : -1;
      // A stable sort of the newest-first log by name: ties keep their newest-first order.
      const expected = all
        .map((row, i) => ({ row, i, n: name(row.actor) }))
        .sort((a, b) => (a.n === b.n ? a.i - b.i : (a.n < b.n ? -1 : 1) * sign))
        .slice(0, 50)
        .map((x) => x.row.seq);
      expect(seqsOn(res.text), dir).to.deep.equal(expected);
    }
    // The header offers the sort, as every list's headers do.
    expect((await c.get('/audit')).text).to.match(/href="\/audit\?sort=what&amp;dir=asc"/);
  });

  it('when the log is downloaded, then the CSV says the same in words: no JSON, ids or secrets', async () => {
    const res = await c.get(`/audit/export.csv?recordId=${premisesId}`);
    const rows = parse(res.text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['What happened'])).to.deep.equal([
      'Fran Facilities changed the premises Riverside Centre (RV-1)',
      'Fran Facilities added the premises Riverside Community Centre (RV-1)',
    ]);
    expect(rows[0]).to.deep.include({ Who: 'Fran Facilities', 'Kind of record': 'Premises' });
    expect(rows[0]?.Changes).to.include('Prevent risk rating: Low → High');
    expect(res.text).to.not.match(UUID).and.not.match(/[{}]/);
    const users = await c.get('/audit/export.csv?collection=users');
    expect(users.text).to.not.include('scrypt$').and.not.include('secret:');
  });

  it('when personal data was erased, then its fields say so in words', () => {
    const entry: AuditEntry = {
      seq: 1,
      at: '2026-03-14T10:00:00.000Z',
      actor: 'retention',
      action: 'create',
      collection: 'hirers',
      recordId: 'h1',
      before: null,
      after: { id: 'h1', name: ERASED, email: ERASED, organisation: 'Eastgate Traders' },
      prev: '',
      hash: '',
    };
    const w = t.services.audit.words.inWords(entry);
    expect(w.who).to.equal('The retention job');
    expect(w.did).to.equal('added the hirer Eastgate Traders');
    expect(w.changes).to.deep.include({
      field: 'Name of the person booking',
      before: '',
      after: 'Personal data erased under the retention rules',
    });
  });
});
