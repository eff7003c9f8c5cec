import { expect } from 'chai';
import request from 'supertest';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

/** A fresh browser on one instance holding the sign-in page's CSRF token, ready to post at once. */
async function ready(t: TestApp) {
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/login')).text);
  return { agent, csrf };
}

/** One sign-in with the right password, in a fresh browser on `t`, from `network`. */
async function rightPassword(t: TestApp, email: string, network: string) {
  const late = await ready(t);
  return late.agent
    .post('/login')
    .set('X-Forwarded-For', network)
    .type('form')
    .send({ _csrf: late.csrf, email, password: DEMO_PASSWORD, next: '/' });
}

describe('Security: sign-in throttling across two instances on one PostgreSQL database (SPEC §10, §14)', () => {
  let db: TestPgDatabase;
  let apps: TestApp[] = [];

  beforeEach(async () => {
    db = await createTestPgDatabase('signin_instances');
    // A real hash cost, so checks overlap as they would in production. The second reads the demo from the database.
    const config = { databaseUrl: db.url, passwordHashCost: 14 };
    const first = await startTestApp({ config });
    apps = [first, await startTestApp({ config, demo: false })];
  });
  afterEach(async () => {
    for (const t of apps) await t.close();
    apps = [];
    await db.drop();
  });

  it('when 29 wrong passwords and then the right one are split between two instances at once, then at most 10 are checked, none signs in and both see the lock', async () => {
    const [a, b] = apps;
    if (!a || !b) throw new Error('two instances expected');
    const browsers = await Promise.all(Array.from({ length: 30 }, (_, i) => ready(i % 2 === 0 ? a : b)));
    const answers = await Promise.all(
      browsers.map((br, i) =>
        br.agent
          .post('/login')
          .set('X-Forwarded-For', `198.51.100.${i + 1}`)
          .type('form')
          .send({
            _csrf: br.csrf,
            email: 'facilities@demo.test',
            password: i < 29 ? `wrong-password-${i}` : DEMO_PASSWORD,
            next: '/',
          }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 303),
      'signed in',
    ).to.deep.equal([]);
    expect(statuses.filter((s) => s === 400).length, 'password checks made on both together').to.be.at.most(
      10,
    );
    expect(statuses[29]).to.equal(429);
    expect(answers[29]?.text).to.include('This account is locked');
    for (const br of browsers) expect((await br.agent.get('/')).status).to.equal(303);
    // The lock is on the account in the database: the right password is refused on either instance.
    for (const t of apps) {
      expect(t.services.users.byEmail('facilities@demo.test')?.lockedUntil ?? null).to.not.equal(null);
      const res = await rightPassword(t, 'facilities@demo.test', '203.0.113.9');
      expect(res.status).to.equal(429);
      expect(res.text).to.include('This account is locked');
    }
  });

  it('when 30 guesses at different accounts come at once from one network, split between two instances, then at most 10 are checked on both together and both then refuse that network', async () => {
    const [a, b] = apps;
    if (!a || !b) throw new Error('two instances expected');
    const network = '203.0.113.77';
    const browsers = await Promise.all(Array.from({ length: 30 }, (_, i) => ready(i % 2 === 0 ? a : b)));
    const answers = await Promise.all(
      browsers.map((br, i) =>
        br.agent
          .post('/login')
          .set('X-Forwarded-For', network)
          .type('form')
          .send({
            _csrf: br.csrf,
            email: `nobody-${i}@example.org`,
            password: 'wrong-password-1',
            next: '/',
          }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length, 'password checks made on both together').to.be.at.most(
      10,
    );
    expect(statuses.filter((s) => s === 429).length).to.be.at.least(20);
    expect(answers.find((r) => r.status === 429)?.text).to.include(
      'too many failed sign-ins from your network',
    );
    // The network stays refused on either instance, even with the right password for a real account.
    for (const t of apps) expect((await rightPassword(t, 'viewer@demo.test', network)).status).to.equal(429);
    // Another network is not affected.
    expect((await rightPassword(b, 'viewer@demo.test', '198.51.100.200')).status).to.equal(303);
  });
});
