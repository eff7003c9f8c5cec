import { expect } from 'chai';
import { SessionStore } from '../../../server/middleware/setUpSession.js';
import { newNonce } from '../../../server/middleware/setUpWebSecurity.js';

describe('CSP nonces and session cookie signatures', () => {
  it('when 1,000 nonces are drawn (several refills of the random pool), then each is 16 random bytes and none repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = newNonce();
      expect(Buffer.from(nonce, 'base64')).to.have.length(16);
      seen.add(nonce);
    }
    expect(seen.size).to.equal(1000);
  });

  it('when a genuine cookie was checked before, then a changed id or signature is still refused', () => {
    const sessions = new SessionStore({ secret: 'x'.repeat(32), secure: false, idleTimeoutMinutes: 30 });
    const genuine = sessions.sign('abc');
    expect(sessions.unsign(genuine)).to.equal('abc');
    expect(sessions.unsign(genuine)).to.equal('abc');
    expect(sessions.unsign(`abd${genuine.slice(3)}`)).to.equal(null);
    expect(sessions.unsign(`${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`)).to.equal(null);
    const other = new SessionStore({ secret: 'y'.repeat(32), secure: false, idleTimeoutMinutes: 30 });
    expect(other.unsign(genuine)).to.equal(null);
  });
});
