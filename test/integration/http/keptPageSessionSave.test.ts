import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A kept page (the dashboard in production) whose request changed the session: the session is saved in
 * PostgreSQL after the page is made, and the browser must not have the whole page before it is, or its
 * next request reads the session as it was (here: without the CSRF token the page carries).
 */
describe('HTTP: a kept page is not complete before its session is saved (sessions in PostgreSQL)', () => {
  let db: TestPgDatabase;
  let t: TestApp;
  before(async () => {
    db = await createTestPgDatabase('kept_page_session');
    t = await startTestApp({ production: true, config: { databaseUrl: db.url } });
  });
  after(async () => {
    await t.close();
    await db.drop();
  });

  it('when saving the session is held up, then the dashboard is not finished until it is saved, and the next page carries the same token', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login');
    const signedIn = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), email: 'coordinator@demo.test', password: DEMO_PASSWORD });
    expect(signedIn.status).to.equal(303);

    // The first page after sign-in makes the new session's CSRF token, so that session must be saved.
    // Another connection holds writes to the sessions table (reads still go through) meanwhile.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE sessions IN EXCLUSIVE MODE');
      let finished = false;
      const first = agent.get('/').then((res) => {
        finished = true;
        return res;
      });
      await sleep(700);
      expect(finished, 'the page was complete before its session was saved').to.equal(false);
      await blocker.query('COMMIT');
      const page = await first;
      expect(page.status).to.equal(200);
      const again = await agent.get('/');
      expect(csrfFrom(again.text)).to.equal(csrfFrom(page.text));
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
    }
  });
});
