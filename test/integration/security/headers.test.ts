import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import request from 'supertest';
import { loadConfig } from '../../../server/config.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

describe('Security: headers and cookies', () => {
  describe('over plain http (local use)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    it('when two pages are served, then each has its own CSP nonce and only scripts with it', async () => {
      const nonces = [];
      for (let i = 0; i < 2; i++) {
        const res = await request(t.app).get('/login');
        const csp = res.headers['content-security-policy'] ?? '';
        expect(csp).to.include("default-src 'self'");
        expect(csp).to.include("object-src 'none'");
        expect(csp).to.include("base-uri 'none'");
        expect(csp).to.include("form-action 'self'");
        expect(csp).to.not.match(/unsafe-(inline|eval)/);
        const nonce = groupOf(/script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'/, csp);
        for (const tag of res.text.match(/<script[^>]*>/g) ?? []) expect(tag).to.include(`nonce="${nonce}"`);
        nonces.push(nonce);
      }
      expect(nonces[0]).to.not.equal(nonces[1]);
    });

    it('when a page is served, then it cannot be framed, sniffed or leak its address', async () => {
      const res = await request(t.app).get('/login');
      expect(res.headers['x-frame-options']).to.equal('DENY');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['referrer-policy']).to.equal('same-origin');
      expect(res.headers['x-powered-by']).to.equal(undefined);
    });

    it('when BASE_URL is http, then there is no HSTS and the cookie is not Secure', async () => {
      const res = await request(t.app).get('/login');
      expect(res.headers['strict-transport-security']).to.equal(undefined);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).to.match(/^dueregard=/);
      expect(cookie).to.not.match(/;\s*Secure/i);
    });

    it('when a signed-in page is served, then it is marked no-store so no cache keeps it', async () => {
      const a = await t.signIn('viewer@demo.test');
      expect((await a.get('/')).headers['cache-control']).to.equal('no-store');
      expect((await request(t.app).get('/login')).headers['cache-control']).to.not.equal('no-store');
    });
  });

  describe('behind https (BASE_URL https://…)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ config: { baseUrl: 'https://dueregard.example.gov.uk' } });
    });
    after(() => t.close());

    it('when BASE_URL starts with https, then the configuration asks for secure cookies', () => {
      expect(loadConfig({ BASE_URL: 'https://dueregard.example.gov.uk' }).secureCookies).to.equal(true);
      expect(loadConfig({ BASE_URL: 'http://localhost:3000' }).secureCookies).to.equal(false);
      expect(t.config.secureCookies).to.equal(true);
    });

    it('when any page is served, then HSTS is sent for a year', async () => {
      const res = await request(t.app).get('/login');
      expect(res.headers['strict-transport-security']).to.equal('max-age=31536000; includeSubDomains');
    });

    it('when the session cookie is set, then it is a __Host- cookie: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
      // A Secure cookie is not sent back over the test's plain http, so carry it by hand.
      const page = await request(t.app).get('/login');
      const first = String(page.headers['set-cookie']).split(';')[0] ?? '';
      const res = await request(t.app)
        .post('/login')
        .set('Cookie', first)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: 'viewer@demo.test', password: DEMO_PASSWORD });
      expect(res.status).to.equal(303);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).to.match(/^__Host-dueregard=/);
      expect(cookie).to.match(/;\s*Secure/i);
      expect(cookie).to.match(/;\s*HttpOnly/i);
      expect(cookie).to.match(/;\s*SameSite=Lax/i);
      expect(cookie).to.match(/;\s*Path=\//i);
      expect(cookie).to.not.match(/Domain=/i);
    });
  });
});
