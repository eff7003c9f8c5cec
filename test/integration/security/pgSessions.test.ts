import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { moveToPostgres } from '../../../jobs/moveToPostgres.js';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { createApp } from '../../../server/app.js';
import { createSessions } from '../../../server/middleware/setUpSession.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { csrfIn, HttpVisitor, type ServerProcess, startServer } from '../../support/serverProcess.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';

type App = TestApp['app'];

/** Signs in through the app's form; the session cookie ("name=value") the browser would then hold. */
async function signInCookie(app: App, email: string): Promise<string> {
  const page = await request(app).get('/login');
  const first = String(page.headers['set-cookie']).split(';')[0] ?? '';
  const res = await request(app)
    .post('/login')
    .set('Cookie', first)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password: DEMO_PASSWORD });
  expect(res.status, `sign-in as ${email}`).to.equal(303);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  expect(cookie).to.match(/^dueregard=s%3A/);
  return cookie;
}

/**
 * The status of a page view, asked again until it is `want` or a second has passed. A page view on an
 * instance may use its copy of the session (sessionStores.ts, getToRead); another instance's change drops
 * that copy when its notification arrives (at once, in practice), and every copy is dropped within a second
 * in any case: the bound these tests hold the instances to.
 */
async function statusWithinASecond(
  view: () => PromiseLike<{ status: number }>,
  want: number,
): Promise<number> {
  const until = Date.now() + 1_500;
  for (;;) {
    const { status } = await view();
    if (status === want || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const open = (app: App, path: string, cookie: string) => request(app).get(path).set('Cookie', cookie);
const send = (app: App, path: string, cookie: string, token: string) =>
  request(app).post(path).set('Cookie', cookie).type('form').send({ _csrf: token });

describe('Security: sessions in PostgreSQL, shared by instances (SPEC §14)', () => {
  let db: TestPgDatabase;
  let pool: PgPool;
  let otherPool: PgPool;
  let seed: TestApp;
  let a: TestApp;
  let b: TestApp;
  let clock: TestClock;

  before(async () => {
    db = await createTestPgDatabase('sessions');
    pool = createPgPool(db.url);
    otherPool = createPgPool(db.url);
    await migratePg(pool);
    // Until the records are in PostgreSQL too, each instance has its own copy of one demo file store
    // (the same users and ids); only the sessions are shared.
    seed = await startTestApp({ config: { databaseUrl: null } });
    await seed.store.close();
  });
  beforeEach(async () => {
    await pool.query('DELETE FROM sessions');
    clock = new TestClock('2026-03-14T10:00:00Z');
    a = await startTestApp({ copyOf: seed.dir, pgPool: pool, now: clock.now });
    b = await startTestApp({ copyOf: seed.dir, pgPool: otherPool, now: clock.now });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });
  after(async () => {
    await seed.close().catch(() => {});
    await pool.end();
    await otherPool.end();
    await db.drop();
  });

  it('when two instances (each with its own copy of the demo file store) share the session table, then a session started on one opens pages and sends forms on the other', async () => {
    const cookie = await signInCookie(a.app, 'facilities@demo.test');
    const page = await open(b.app, '/account', cookie);
    expect(page.status, 'the other instance knows the session').to.equal(200);
    expect(page.text).to.include('Fran Facilities');
    // The CSRF token is the session's, so a form from one instance is accepted by the other.
    const token = csrfFrom((await open(a.app, '/account', cookie)).text);
    expect(csrfFrom(page.text)).to.equal(token);
    const sent = await send(b.app, '/logout', cookie, token);
    expect(sent.status).to.equal(303);
    expect(
      await statusWithinASecond(() => open(a.app, '/account', cookie), 303),
      'signed out on B, so on A too',
    ).to.equal(303);
  });

  it('when a user signs out everywhere on one instance, then their session on the other ends, and other users stay signed in', async () => {
    const laptop = await signInCookie(a.app, 'facilities@demo.test');
    const phone = await signInCookie(b.app, 'facilities@demo.test');
    const colleague = await signInCookie(b.app, 'viewer@demo.test');
    expect((await open(b.app, '/', phone)).status).to.equal(200);
    const token = csrfFrom((await open(a.app, '/account', laptop)).text);
    const res = await send(a.app, '/account/sign-out-everywhere', laptop, token);
    expect(res.status).to.equal(303);
    // B's own copy of the users never saw the new epoch: only the shared session table ends the session.
    const onB = b.services.users.byEmail('facilities@demo.test');
    expect(onB?.sessionEpoch, 'B’s records are unchanged').to.equal(0);
    expect(
      await statusWithinASecond(() => open(b.app, '/', phone), 303),
      'the phone’s session on B',
    ).to.equal(303);
    expect((await open(a.app, '/', laptop)).status).to.equal(303);
    expect((await open(b.app, '/', colleague)).status, 'a colleague on B').to.equal(200);
  });

  it('when an officer opens page after page on one instance, then the session is read from the table once, not for every page; a form still reads it', async () => {
    const cookie = await signInCookie(b.app, 'viewer@demo.test');
    const query = otherPool.query.bind(otherPool) as (...args: unknown[]) => unknown;
    let reads = 0;
    (otherPool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (/SELECT sess FROM/i.test(text ?? '')) reads++;
      return query(...args);
    };
    try {
      for (let i = 0; i < 10; i++) expect((await open(b.app, '/', cookie)).status).to.equal(200);
      expect(reads, 'ten page views').to.be.at.most(1);
      // A copy whose activity is over a minute old is not trusted (another instance may have seen the
      // officer since): the row is read, the activity saved, and the copy serves again.
      clock.advanceMinutes(2);
      let before = reads;
      expect((await open(b.app, '/', cookie)).status).to.equal(200);
      expect(reads - before, 'a view after two quiet minutes reads the row').to.equal(1);
      before = reads;
      expect((await open(b.app, '/', cookie)).status).to.equal(200);
      expect(reads - before, 'and the next view uses the copy again').to.be.at.most(1);
      const token = csrfFrom((await open(b.app, '/account', cookie)).text);
      before = reads;
      expect((await send(b.app, '/logout', cookie, token)).status).to.equal(303);
      expect(reads - before, 'a form reads the session as stored').to.equal(1);
    } finally {
      (otherPool as unknown as { query: unknown }).query = query;
    }
  });

  it('when a session changes on one instance, then the other’s copy is dropped (within a second; at once when notified): the old session opens nothing and the new one has the change', async () => {
    const cookie = await signInCookie(a.app, 'facilities@demo.test');
    expect((await open(b.app, '/account', cookie)).status, 'B has read the session').to.equal(200);
    const token = csrfFrom((await open(a.app, '/account', cookie)).text);
    const out = await send(a.app, '/account/sign-out-everywhere', cookie, token);
    expect(out.status).to.equal(303);
    // The same browser now holds the new session (with a message for the next page); the old one is gone.
    const fresh = String(out.headers['set-cookie']).split(';')[0] ?? '';
    expect(
      await statusWithinASecond(() => open(b.app, '/account', cookie), 303),
      'the old session on B',
    ).to.equal(303);
    const next = await open(b.app, '/login', fresh);
    expect(next.text).to.include('You were signed out on every device, including this one.');
  });

  it('when a session is kept, then it is one row of the sessions table with its user; a cookie-less redirect writes none', async () => {
    for (let i = 0; i < 5; i++) expect((await request(a.app).get('/')).status).to.equal(303);
    expect((await pool.query('SELECT count(*)::int AS n FROM sessions')).rows[0]?.n).to.equal(0);
    await signInCookie(a.app, 'viewer@demo.test');
    const rows = await pool.query<{ user_id: string | null }>('SELECT user_id FROM sessions');
    const viewer = a.services.users.byEmail('viewer@demo.test');
    expect(rows.rows.map((r) => r.user_id)).to.deep.equal([viewer?.id]);
  });

  it('when a session is idle past the timeout on the app’s clock, then neither instance accepts it', async () => {
    const cookie = await signInCookie(a.app, 'viewer@demo.test');
    clock.advanceMinutes(59);
    expect((await open(b.app, '/', cookie)).status).to.equal(200);
    clock.advanceMinutes(59);
    expect((await open(a.app, '/', cookie)).status, 'activity on B restarted the idle clock').to.equal(200);
    clock.advanceMinutes(61);
    expect((await open(b.app, '/', cookie)).status).to.equal(303);
    expect((await open(a.app, '/', cookie)).status).to.equal(303);
    // The timed-out row is deleted, and the empty session the redirect had is not stored in its place.
    expect((await pool.query('SELECT count(*)::int AS n FROM sessions')).rows[0]?.n).to.equal(0);
  });

  /** Instance a's app with its sessions in the shared table and a cap of 3 anonymous sessions. */
  function withAnonymousCapOf3() {
    const sessions = createSessions({
      secret: 'test-secret-0123456789abcdef0123456789',
      secure: false,
      idleTimeoutMinutes: 60,
      maxAnonymous: 3,
      pool,
      now: () => clock.now().getTime(),
    });
    return { sessions, app: createApp({ ...a.services, sessions }) };
  }

  it('when rows have expired or anonymous visitors pass the cap, then pruning removes them and keeps signed-in sessions', async () => {
    const { sessions, app } = withAnonymousCapOf3();
    try {
      const signedIn = await signInCookie(app, 'viewer@demo.test');
      for (let i = 0; i < 8; i++) expect((await request(app).get('/login')).status).to.equal(200);
      expect(await sessions.count()).to.equal(9);
      await sessions.prune();
      expect(await sessions.count(), 'three anonymous and the signed-in one').to.equal(4);
      expect((await open(app, '/account', signedIn)).status).to.equal(200);
      await pool.query("UPDATE sessions SET expire = now() - interval '1 minute' WHERE user_id IS NULL");
      await sessions.prune();
      expect(await sessions.count()).to.equal(1);
      expect((await open(app, '/account', signedIn)).status).to.equal(200);
    } finally {
      await sessions.close();
    }
  });

  it('when a flood of new visitors opens the sign-in page, then the table is held near the cap as they come, not only at the next prune, and a signed-in session stays', async () => {
    const { sessions, app } = withAnonymousCapOf3();
    try {
      const signedIn = await signInCookie(app, 'viewer@demo.test');
      // Every 100 anonymous saves (the least batch) the table is held to the cap: never more than the
      // cap and one batch, and after 250 visitors well under the 250 rows a prune-only store would hold.
      let most = 0;
      for (let i = 0; i < 250; i++) {
        expect((await request(app).get('/login')).status).to.equal(200);
        if (i % 25 === 24) most = Math.max(most, await sessions.count());
      }
      expect(most, 'the cap, one batch and the signed-in session').to.be.at.most(3 + 100 + 1);
      expect(await sessions.count()).to.be.at.most(3 + 100 + 1);
      expect((await open(app, '/account', signedIn)).status).to.equal(200);
    } finally {
      await sessions.close();
    }
  });

  it('when two server processes run on one PostgreSQL database (DATABASE_URL), then a session from one works on the other, and signing out everywhere on one ends it on the other', async function () {
    this.timeout(90_000);
    const fresh = await createTestPgDatabase('sessions_processes');
    // The demo's records moved into the new database, so both processes serve the same users.
    await moveToPostgres(join(seed.dir, 'test.json'), fresh.url);
    const dirs = [0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), 'dueregard-instance-'));
      cpSync(seed.dir, dir, { recursive: true, filter: (from) => !from.endsWith('.lock') });
      return dir;
    });
    const servers: ServerProcess[] = [];
    try {
      // Started at once on a new database: each brings the schema up to date (one of them does the work).
      servers.push(
        ...(await Promise.all(
          dirs.map((dir) =>
            startServer({ dbPath: join(dir, 'test.json'), env: { DATABASE_URL: fresh.url } }),
          ),
        )),
      );
      const [one, two] = servers;
      if (!one || !two) throw new Error('Two servers expected');
      const visitor = new HttpVisitor(one.url);
      await visitor.signIn('facilities@demo.test', DEMO_PASSWORD);
      const onTwo = (path: string) =>
        fetch(two.url + path, { redirect: 'manual', headers: { cookie: visitor.cookieHeader } });
      const page = await onTwo('/account');
      expect(page.status, 'the session from the first process on the second').to.equal(200);
      const token = csrfIn(await page.text());
      const out = await fetch(`${two.url}/account/sign-out-everywhere`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: visitor.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
      expect(out.status).to.equal(303);
      expect(
        await statusWithinASecond(() => visitor.get('/account'), 303),
        'ended on the first process too',
      ).to.equal(303);
    } finally {
      for (const server of servers) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });
});
