import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import request from 'supertest';
import { hashApiToken } from '../../../server/services/apiTokenService.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';
import { groupOf } from '../../support/pageParts.js';

describe('Security: API tokens', () => {
  let t: TestApp;
  let clock: TestClock;
  let c: TestAgent;
  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
    c = await t.signIn('coordinator@demo.test');
  });
  afterEach(() => t.close());

  async function createToken(name: string): Promise<string> {
    await c.refreshCsrf('/tokens');
    const res = await c.post('/tokens', { name });
    expect(res.status).to.equal(303);
    const page = await c.get('/tokens');
    return groupOf(/id="new-api-token"[^>]*>([^<]+)</, page.text);
  }

  it('when a coordinator creates a token, then it is shown once and only its sha256 hash is stored', async () => {
    const token = await createToken('Board spreadsheet');
    expect(token).to.match(/^dr_[A-Za-z0-9_-]{43}$/);
    const again = await c.get('/tokens');
    expect(again.text).to.not.include(token);
    expect(again.text).to.include('Board spreadsheet');
    const stored = itemAt(t.store.list('apiTokens'), 0);
    expect(stored.tokenHash).to.equal(hashApiToken(token));
    expect(JSON.stringify(t.store.data)).to.not.include(token);
  });

  it('when a token is sent as a bearer token on GET /api/flags, then it reads what a coordinator sees, without a session', async () => {
    const token = await createToken('Reader');
    const res = await request(t.app).get('/api/flags').set('Authorization', `Bearer ${token}`);
    expect(res.status).to.equal(200);
    expect(res.headers['set-cookie']).to.equal(undefined);
    const asCoordinator = await c.get('/api/flags');
    expect(res.body).to.deep.equal(asCoordinator.body);
    expect(res.body.length).to.be.greaterThan(0);
  });

  it('when a bearer token comes with anything but GET, or outside /api/, then it is refused with 403 and nothing changes', async () => {
    const token = await createToken('Reader');
    const revision = t.store.revision;
    const premises = itemAt(t.store.list('premises'), 0);
    for (const [method, path] of [
      ['post', '/api/flags'],
      ['put', '/api/flags'],
      ['delete', '/api/flags'],
      ['patch', '/api/flags'],
      ['post', '/premises'],
      ['post', `/premises/${premises.id}`],
      ['post', '/tokens'],
      ['get', '/premises'],
      ['get', '/audit'],
    ] as const) {
      const res = await request(t.app)
        [method](path)
        .set('Authorization', `Bearer ${token}`)
        .type('form')
        .send({ ref: 'X', name: 'X' });
      expect(res.status, `${method} ${path}`).to.equal(403);
    }
    expect(t.store.revision).to.equal(revision);
  });

  it('when a token is unknown, malformed or revoked, then the API answers 401', async () => {
    const token = await createToken('Short-lived');
    expect((await request(t.app).get('/api/flags').set('Authorization', 'Bearer dr_nope')).status).to.equal(
      401,
    );
    expect((await request(t.app).get('/api/flags').set('Authorization', 'Basic abc')).status).to.equal(401);
    expect((await request(t.app).get('/api/flags').set('Authorization', `Bearer ${token}`)).status).to.equal(
      200,
    );
    const id = itemAt(t.store.list('apiTokens'), 0).id;
    await c.refreshCsrf('/tokens');
    expect((await c.post(`/tokens/${id}/revoke`)).status).to.equal(303);
    const res = await request(t.app).get('/api/flags').set('Authorization', `Bearer ${token}`);
    expect(res.status).to.equal(401);
    expect(res.headers['www-authenticate']).to.include('invalid_token');
    expect((await c.get('/tokens')).text).to.include('Revoked');
  });

  it('when a token is used many times, then lastUsedAt is written at most once a minute', async () => {
    const token = await createToken('Busy script');
    const use = () => request(t.app).get('/api/flags').set('Authorization', `Bearer ${token}`);
    const stored = () => itemAt(t.store.list('apiTokens'), 0);
    await use();
    expect(stored().lastUsedAt).to.equal('2026-03-14T10:00:00.000Z');
    const revision = t.store.revision;
    await Promise.all([use(), use(), use()]);
    clock.advanceMinutes(0.5);
    await use();
    expect(t.store.revision, 'no write within the minute').to.equal(revision);
    clock.advanceMinutes(0.5);
    await Promise.all([use(), use()]);
    expect(stored().lastUsedAt).to.equal('2026-03-14T10:01:00.000Z');
    expect(t.store.revision).to.equal(revision + 1);
  });

  it('when a name is missing, then the token is not created and the error says so', async () => {
    await c.refreshCsrf('/tokens');
    const res = await c.post('/tokens', { name: '  ' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Enter a name for the token');
    expect(t.store.list('apiTokens')).to.have.length(0);
  });

  it('when someone other than a coordinator opens /tokens, then it is refused', async () => {
    const f = await t.signIn('facilities@demo.test');
    expect((await f.get('/tokens')).status).to.equal(403);
    expect((await f.post('/tokens', { name: 'Mine' })).status).to.equal(403);
    expect(t.store.list('apiTokens')).to.have.length(0);
  });
});
