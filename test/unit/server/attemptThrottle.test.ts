import { expect } from 'chai';
import { AttemptThrottle, clientNetwork } from '../../../server/auth/attemptThrottle.js';

const limits = { max: 3, windowMs: 60_000, lockMs: 120_000, maxKeys: 100 };

describe('server/auth/attemptThrottle: attempts counted before the secret is checked', () => {
  let now = 0;
  const make = () => new AttemptThrottle(limits, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('when attempts are still in progress, then they count: the attempt after `max` is refused before any settles', () => {
    const th = make();
    const gates = [1, 2, 3].map(() => th.begin(['a']));
    expect(gates.every((g) => g.ok)).to.equal(true);
    const fourth = th.begin(['a']);
    expect(fourth.ok).to.equal(false);
    expect(th.count('a')).to.equal(3);
  });

  it('when the failure that reaches `max` settles, then every key of the attempt is locked for lockMs', () => {
    const th = make();
    for (let i = 0; i < 3; i++) {
      const g = th.begin(['acct', 'net']);
      if (!g.ok) throw new Error('refused too early');
      const locked = g.attempt.settle(false);
      expect(locked).to.deep.equal(i === 2 ? ['acct', 'net'] : []);
    }
    expect(th.lockedUntil('acct')).to.equal(now + limits.lockMs);
    now += limits.lockMs;
    expect(th.lockedUntil('acct')).to.equal(null);
    expect(th.begin(['acct']).ok).to.equal(true);
  });

  it('when a right answer finishes after a lock started, then recheck refuses it; a success frees its slot without counting', () => {
    const th = make();
    const right = th.begin(['acct']);
    const wrong = [1, 2].map(() => th.begin(['acct']));
    if (!right.ok || !wrong.every((g) => g.ok)) throw new Error('refused too early');
    for (const g of wrong) if (g.ok) g.attempt.settle(false);
    expect(right.attempt.recheck()).to.equal(null);
    right.attempt.settle(true);
    expect(th.count('acct')).to.equal(2);
    const third = th.begin(['acct']);
    if (!third.ok) throw new Error('refused');
    third.attempt.settle(false);
    const late = th.begin(['other', 'x']);
    expect(late.ok).to.equal(true);
    expect(th.lockedUntil('acct')).to.not.equal(null);
  });

  it('when a key is forgotten, then its failures and lock go, and settling twice counts once', () => {
    const th = make();
    const g = th.begin(['k']);
    if (!g.ok) throw new Error('refused');
    g.attempt.settle(false);
    g.attempt.settle(false);
    expect(th.count('k')).to.equal(1);
    th.forget('k');
    expect(th.count('k')).to.equal(0);
  });

  it('when failures leave the window, then they no longer count', () => {
    const th = make();
    for (let i = 0; i < 2; i++) {
      const g = th.begin(['k']);
      if (g.ok) g.attempt.settle(false);
    }
    now += limits.windowMs + 1;
    expect(th.count('k')).to.equal(0);
  });

  it('when more keys than maxKeys are seen, then the least recently used are forgotten (bounded memory)', () => {
    const th = new AttemptThrottle({ ...limits, maxKeys: 5 }, () => now);
    for (let i = 0; i < 50; i++) th.begin([`k${i}`]);
    expect(th.size).to.equal(5);
  });
});

describe('clientNetwork: what a client address counts as', () => {
  it('when IPv4 or IPv4-mapped, then the address; when IPv6, then its /64 whatever the spelling', () => {
    expect(clientNetwork('192.0.2.1')).to.equal('192.0.2.1');
    expect(clientNetwork('::ffff:192.0.2.1')).to.equal('192.0.2.1');
    expect(clientNetwork('2001:db8:1:2::5')).to.equal('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0DB8:0001:0002:ffff:1:2:3')).to.equal('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).to.equal('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).to.equal('fe80:0:0:0::/64');
  });
});
