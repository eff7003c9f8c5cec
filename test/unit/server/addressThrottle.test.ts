import { expect } from 'chai';
import { clientKey, createAddressThrottle } from '../../../server/public/addressThrottle.js';

describe('Address throttle for public pages (server/public/addressThrottle.ts)', () => {
  it('when addresses are IPv4, IPv4-mapped or IPv6, then IPv6 is counted by its /64', () => {
    expect(clientKey('203.0.113.9')).to.equal('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).to.equal('203.0.113.9');
    expect(clientKey('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
  });

  it('when an address passes its limit, then it is refused until the window moves on; others are not', () => {
    const t = createAddressThrottle({ limit: 3, windowMs: 1000 });
    expect([1, 2, 3, 4].map(() => t.allow('198.51.100.1', 0))).to.deep.equal([true, true, true, false]);
    expect(t.allow('198.51.100.2', 0)).to.equal(true);
    expect(t.allow('198.51.100.1', 1000)).to.equal(true);
  });

  it('when very many addresses come, then memory stays bounded', () => {
    const t = createAddressThrottle({ limit: 1, windowMs: 1000, maxAddresses: 50 });
    for (let i = 0; i < 1000; i++) t.allow(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(t.tracked()).to.equal(50);
  });
});
