import { expect } from 'chai';
import { newNonce } from '../../../server/middleware/setUpWebSecurity.js';

describe('CSP nonces', () => {
  it('when 1,000 nonces are drawn (several refills of the random pool), then each is 16 random bytes and none repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = newNonce();
      expect(Buffer.from(nonce, 'base64')).to.have.length(16);
      seen.add(nonce);
    }
    expect(seen.size).to.equal(1000);
  });
});
