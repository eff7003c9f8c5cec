import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import type { Request, Response } from 'express';
import { createPublicCsrf } from '../../../server/public/hireCsrf.js';
import { addressKey, createPerAddressLimit } from '../../../server/public/perAddressLimit.js';

/** A request carrying this cookie header and form body. */
const req = (cookie: string | undefined, body: Record<string, unknown>) =>
  ({ headers: cookie ? { cookie } : {}, body }) as unknown as Request;

/** A response that keeps the cookie it was asked to set. */
function res() {
  const set: { name: string; value: string; opts: Record<string, unknown> }[] = [];
  return {
    set,
    response: {
      cookie: (name: string, value: string, opts: Record<string, unknown>) => set.push({ name, value, opts }),
    } as unknown as Response,
  };
}

describe('Public form abuse controls', () => {
  describe('addressKey', () => {
    it('when an IPv6 client is counted, then by its /64; IPv4 and mapped IPv4 by the address', () => {
      expect(addressKey('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
      expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).to.equal('2001:db8:1:2::/64');
      expect(addressKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
      expect(addressKey('::ffff:192.0.2.7')).to.equal('192.0.2.7');
      expect(addressKey('192.0.2.7')).to.equal('192.0.2.7');
    });
  });

  describe('createPerAddressLimit', () => {
    it('when an address has used its 5 in the window, then it is blocked until the first use leaves the window', () => {
      let now = 0;
      const limit = createPerAddressLimit({ limit: 5, windowMs: 60_000, now: () => now });
      for (let i = 0; i < 5; i++) {
        expect(limit.blockedUntil('2001:db8::1')).to.equal(null);
        limit.record('2001:db8::1');
        now += 1000;
      }
      // Another address in the same /64 shares the count.
      expect(limit.blockedUntil('2001:db8::2')).to.equal(60_000);
      expect(limit.blockedUntil('192.0.2.1')).to.equal(null);
      now = 60_000;
      expect(limit.blockedUntil('2001:db8::1')).to.equal(null);
    });

    it('when more addresses come than it tracks, then the oldest are forgotten (memory stays bounded)', () => {
      const limit = createPerAddressLimit({ limit: 5, windowMs: 60_000, now: () => 0, maxAddresses: 100 });
      for (let i = 0; i < 1000; i++) limit.record(`192.0.${i >> 8}.${i & 255}`);
      expect(limit.tracked()).to.equal(100);
    });
  });

  describe('createPublicCsrf', () => {
    let now = 1_000_000;
    const csrf = createPublicCsrf({ secret: 'k'.repeat(64), secure: false, now: () => now });

    it('when a form is served to a visitor without a cookie, then the cookie is set and its token is accepted with it', () => {
      const r = res();
      const token = csrf.token(req(undefined, {}), r.response);
      expect(r.set).to.have.length(1);
      expect(r.set[0]?.opts).to.include({ httpOnly: true, sameSite: 'strict' });
      const cookie = `${itemAt(r.set, 0).name}=${itemAt(r.set, 0).value}`;
      expect(csrf.valid(req(cookie, { _csrf: token }))).to.equal(true);
      // Without the cookie, with another visitor's cookie, or altered: refused.
      expect(csrf.valid(req(undefined, { _csrf: token }))).to.equal(false);
      expect(csrf.valid(req(`${r.set[0]?.name}=${'A'.repeat(22)}`, { _csrf: token }))).to.equal(false);
      expect(csrf.valid(req(cookie, { _csrf: `${token.slice(0, -1)}x` }))).to.equal(false);
      expect(csrf.valid(req(cookie, {}))).to.equal(false);
    });

    it('when a token is older than two hours, then it is refused', () => {
      const r = res();
      const token = csrf.token(req(undefined, {}), r.response);
      const cookie = `${itemAt(r.set, 0).name}=${itemAt(r.set, 0).value}`;
      now += 2 * 60 * 60_000 + 1;
      expect(csrf.valid(req(cookie, { _csrf: token }))).to.equal(false);
    });
  });
});
