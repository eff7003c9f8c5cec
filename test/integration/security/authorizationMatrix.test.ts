import { expect } from 'chai';
import request from 'supertest';
import { roles } from '../../../data/schemas/accountSchemas.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';
import { walkRoutes } from '../../support/walkRoutes.js';
import {
  type Expected,
  demoEmail,
  LOGIN,
  pathFor,
  routePolicy,
  SPARE_TOKEN_NAME,
  SPARE_USER_EMAIL,
  type Visitor,
} from './routePolicy.js';

const visitors: Visitor[] = ['anonymous', ...roles];

/** A browser for `visitor`, signed in afresh (anonymous: just a session), with its CSRF token. */
async function browserFor(t: TestApp, visitor: Visitor) {
  const agent = request.agent(t.app);
  const login = await agent.get('/login');
  if (visitor === 'anonymous') return { agent, csrf: csrfFrom(login.text) };
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), email: demoEmail[visitor], password: DEMO_PASSWORD });
  if (res.status !== 303) throw new Error(`Could not sign in as ${visitor}`);
  return { agent, csrf: csrfFrom((await agent.get('/account')).text) };
}

function describeAnswer(res: request.Response): string {
  return res.status === 303 ? `303 → ${res.headers.location}` : String(res.status);
}

function meets(res: request.Response, expected: Expected): boolean {
  if (expected === LOGIN) return res.status === 303 && String(res.headers.location).startsWith('/login');
  return res.status === expected;
}

describe('Security: authorization matrix (every route × every role)', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startTestApp();
    await t.services.users.create('test', { email: SPARE_USER_EMAIL, name: 'Spare Account', role: 'viewer' });
    token = (await t.services.apiTokens.create('test', 'Matrix reader')).token;
    await t.services.apiTokens.create('test', SPARE_TOKEN_NAME);
  });
  after(() => t.close());

  it('when the router is walked, then every route has an entry in routePolicy.ts and every entry has a route', () => {
    const served = walkRoutes(t.app);
    expect(served.length).to.be.greaterThan(30);
    const missing = served.filter((r) => !routePolicy[r]);
    const stale = Object.keys(routePolicy).filter((k) => !served.includes(k));
    expect(
      missing,
      'routes with no policy: add them to test/integration/security/routePolicy.ts',
    ).to.deep.equal([]);
    expect(stale, 'policy entries for routes that no longer exist').to.deep.equal([]);
  });

  for (const [key, policy] of Object.entries(routePolicy)) {
    const method = key.slice(0, key.indexOf(' ')).toLowerCase() as 'get' | 'post';

    it(`when ${key} is requested by each role and anonymously, then each gets its policy's answer`, async () => {
      const wrong: string[] = [];
      for (const visitor of visitors) {
        // Worked out for each request: a POST before this one may have removed the record.
        const path = pathFor(t.store, key, policy);
        const { agent, csrf } = await browserFor(t, visitor);
        const res =
          method === 'get'
            ? await agent.get(path)
            : await agent[method](path)
                .type('form')
                .send({ _csrf: csrf, ...(policy.form?.(t.store) ?? {}) });
        if (!meets(res, policy.expect[visitor])) {
          wrong.push(`${visitor} (${path}): expected ${policy.expect[visitor]}, got ${describeAnswer(res)}`);
        }
      }
      expect(wrong, key).to.deep.equal([]);
    });

    it(`when ${key} is requested with an API token, then it answers only GET /api/* as a coordinator would`, async () => {
      const path = pathFor(t.store, key, policy);
      const expected =
        policy.token ?? (method === 'get' && path.startsWith('/api/') ? policy.expect.coordinator : 403);
      const res = await request(t.app)
        [method](path)
        .set('Authorization', `Bearer ${token}`)
        .type('form')
        .send(policy.form?.(t.store) ?? {});
      expect(describeAnswer(res), `${key} with a bearer token`).to.equal(String(expected));
    });
  }
});
