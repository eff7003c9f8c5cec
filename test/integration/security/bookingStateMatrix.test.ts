import { expect } from 'chai';
import request from 'supertest';
import { roles } from '../../../data/schemas/accountSchemas.js';
import { storeBytes } from '../../support/folderBytes.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';
import {
  bookingIn,
  bookingStateExpect,
  bookingStateRoutes,
  bookingStates,
  demoEmail,
  LOGIN,
  type Visitor,
} from './routePolicy.js';

const visitors: Visitor[] = ['anonymous', ...roles];

describe('Security: booking state × role × write route (routePolicy.ts bookingStateRoutes)', () => {
  let t: TestApp;
  const agents = new Map<Visitor, { agent: ReturnType<typeof request.agent>; csrf: string }>();

  before(async () => {
    t = await startTestApp();
    for (const visitor of visitors) {
      const agent = request.agent(t.app);
      const login = await agent.get('/login');
      if (visitor !== 'anonymous') {
        const res = await agent
          .post('/login')
          .type('form')
          .send({ _csrf: csrfFrom(login.text), email: demoEmail[visitor], password: DEMO_PASSWORD });
        expect(res.status, visitor).to.equal(303);
      }
      const page = visitor === 'anonymous' ? login : await agent.get('/account');
      agents.set(visitor, { agent, csrf: csrfFrom(page.text) });
    }
  });
  after(() => t.close());

  // Refused visitors first, so an allowed write (a screening, a draft check) comes after every refusal.
  const order: Visitor[] = [
    'anonymous',
    'viewer',
    'education',
    'library-manager',
    'facilities',
    'coordinator',
  ];

  for (const state of bookingStates) {
    for (const [key, route] of Object.entries(bookingStateRoutes)) {
      it(`when ${key} is asked of a ${state} booking by each role, then each gets its answer and a refusal changes nothing`, async () => {
        const wrong: string[] = [];
        for (const visitor of order) {
          const bookingId = bookingIn(t.store, state);
          const id = route.on === 'hirer' ? t.store.get('bookings', bookingId)!.hirerId : bookingId;
          const path = key.slice(key.indexOf(' ') + 1).replace(':id', id);
          const { agent, csrf } = agents.get(visitor)!;
          const expected = bookingStateExpect(route, state, visitor);
          const before = expected === 403 || expected === LOGIN ? await storeBytes(t.store, t.dir) : null;
          const res = key.startsWith('GET')
            ? await agent.get(path)
            : await agent
                .post(path)
                .type('form')
                .send({ _csrf: csrf, ...(route.form?.(t.store, bookingId) ?? {}) });
          const ok =
            expected === LOGIN
              ? res.status === 303 && String(res.headers.location).startsWith('/login')
              : res.status === expected;
          if (!ok) wrong.push(`${visitor}: expected ${expected}, got ${res.status}`);
          if (before && ok)
            expect(await storeBytes(t.store, t.dir), `${visitor} left the files unchanged`).to.deep.equal(
              before,
            );
        }
        expect(wrong, `${key} on a ${state} booking`).to.deep.equal([]);
      });
    }
  }
});
