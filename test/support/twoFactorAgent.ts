import request from 'supertest';
import { totpCodeAt } from '../../server/auth/totp.js';
import { csrfFrom, DEMO_PASSWORD, type TestApp } from './testApp.js';

/** A browser that has typed its email and password: it stands at the security code page (or is in). */
export async function passwordStep(
  t: TestApp,
  email: string,
  password = DEMO_PASSWORD,
  address = '198.51.100.20',
) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password, next: '/' });
  return { agent, res };
}

/** Sends a code on the code page (reading its CSRF token first), as `address`. */
export async function sendCode(
  agent: ReturnType<typeof request.agent>,
  code: string,
  opts: { recovery?: boolean; address?: string } = {},
) {
  const page = await agent.get(opts.recovery ? '/login/two-factor?recovery=yes' : '/login/two-factor');
  return agent
    .post('/login/two-factor')
    .set('X-Forwarded-For', opts.address ?? '198.51.100.20')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, ...(opts.recovery ? { recovery: 'yes' } : {}) });
}

/** The enrolment page's secret, as the person would type it into their app. */
export function secretFrom(html: string): string {
  const m = /id="secret-key">([A-Z2-7 ]+)</.exec(html);
  if (!m) throw new Error('No secret key on the page');
  return (m[1] ?? '').replace(/ /g, '');
}

/** Enrols the signed-in agent: returns the secret and the recovery codes shown. */
export async function enrol(agent: ReturnType<typeof request.agent>, now: () => Date) {
  const page = await agent.get('/account/two-factor');
  const secret = secretFrom(page.text);
  const res = await agent
    .post('/account/two-factor')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code: totpCodeAt(secret, now().getTime()) });
  if (res.status !== 303) throw new Error(`Enrolment failed with ${res.status}`);
  const shown = await agent.get('/account/two-factor/recovery-codes');
  const codes = [...shown.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
  return { secret, codes, page: shown };
}
