import { expect } from 'chai';
import {
  checkTotp,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  recoveryCodeHash,
  totpCodeAt,
  totpUri,
} from '../../../server/auth/totp.js';
import { securityCodeProblem } from '../../../server/auth/twoFactorService.js';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", base32; its 8-digit codes cut to 6.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => seconds * 1000;

describe('TOTP codes and recovery codes', () => {
  it('when the RFC 6238 test vectors are checked, then each code is accepted at its time (SHA-1, 6 digits, 30 s)', () => {
    const vectors: [number, string][] = [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [time, code] of vectors) {
      expect(totpCodeAt(RFC_SECRET, at(time)), `code at ${time}`).to.equal(code);
      expect(checkTotp(RFC_SECRET, code, at(time), 0), `accepted at ${time}`).to.equal(Math.floor(time / 30));
    }
  });

  it('when a code is a step early or late, then it is accepted; two steps away, refused', () => {
    const now = at(1234567890);
    const step = Math.floor(1234567890 / 30);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 30_000), now, 0)).to.equal(step - 1);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 30_000), now, 0)).to.equal(step + 1);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 90_000), now, 0)).to.equal(null);
  });

  it('when a code at or before the last accepted step is sent, then it is refused (a code works once)', () => {
    const now = at(1234567890);
    const step = Math.floor(1234567890 / 30);
    expect(checkTotp(RFC_SECRET, '005924', now, step)).to.equal(null);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now - 30_000), now, step - 1)).to.equal(null);
    expect(checkTotp(RFC_SECRET, totpCodeAt(RFC_SECRET, now + 30_000), now, step)).to.equal(step + 1);
  });

  it('when a code is typed with spaces or a dash, then it is read as its digits; other shapes are refused with GOV.UK words', () => {
    expect(checkTotp(RFC_SECRET, '005 924', at(1234567890), 0)).to.not.equal(null);
    expect(checkTotp(RFC_SECRET, '005-924', at(1234567890), 0)).to.not.equal(null);
    expect(checkTotp(RFC_SECRET, '5924', at(1234567890), 0)).to.equal(null);
    expect(securityCodeProblem('')).to.equal('Enter the security code');
    expect(securityCodeProblem('12a456')).to.equal('The security code must only include numbers');
    expect(securityCodeProblem('1234567')).to.equal('The security code must be 6 numbers');
    expect(securityCodeProblem(' 123 456 ')).to.equal(null);
  });

  it('when recovery codes are made, then there are 10 different ones, readable, and each hash matches however it is typed', () => {
    const codes = newRecoveryCodes();
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    for (const c of codes) {
      expect(c).to.match(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
      expect(looksLikeRecoveryCode(c)).to.equal(true);
      expect(recoveryCodeHash(c.toUpperCase().replace(/-/g, ' '))).to.equal(recoveryCodeHash(c));
    }
    expect(looksLikeRecoveryCode('123456')).to.equal(false);
  });

  it('when the authenticator link is built, then it names Due Regard and the account, with SHA-1, 6 digits and 30 s', () => {
    const uri = new URL(totpUri(RFC_SECRET, 'fran@council.example'));
    expect(uri.protocol).to.equal('otpauth:');
    expect(uri.host).to.equal('totp');
    expect(decodeURIComponent(uri.pathname)).to.equal('/Due Regard:fran@council.example');
    expect(uri.searchParams.get('secret')).to.equal(RFC_SECRET);
    expect(uri.searchParams.get('issuer')).to.equal('Due Regard');
    for (const [k, v] of [
      ['algorithm', 'SHA1'],
      ['digits', '6'],
      ['period', '30'],
    ]) {
      const given = uri.searchParams.get(k ?? '');
      if (given !== null) expect(given, k).to.equal(v);
    }
  });
});
