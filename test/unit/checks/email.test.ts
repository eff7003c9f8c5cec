import { expect } from 'chai';
import { EMAIL_MAX_LENGTH, isEmailAddress } from '../../../checks/email.js';

describe('checks/email: one email address check', () => {
  it('when an address has one @, no spaces and a dotted domain, then it is accepted', () => {
    for (const ok of ['a@b.c', 'ann.lead@example.gov.uk', "o'neil+prevent@council.example.org"]) {
      expect(isEmailAddress(ok), ok).to.equal(true);
    }
  });

  it('when an address lacks a part, has two @, a space, or a dot only at the ends of the domain, then it is refused', () => {
    for (const bad of [
      '',
      'a',
      '@b.c',
      'a@',
      'a@b',
      'a@@b.c',
      'a@b@c.d',
      'a b@c.d',
      'a@b.c ',
      'a@.bc',
      'a@bc.',
      'a\t@b.c',
    ]) {
      expect(isEmailAddress(bad), JSON.stringify(bad)).to.equal(false);
    }
  });

  it('when an address is longer than 254 characters, then it is refused whatever its shape', () => {
    const local = 'a'.repeat(EMAIL_MAX_LENGTH - '@b.co'.length);
    expect(isEmailAddress(`${local}@b.co`)).to.equal(true);
    expect(isEmailAddress(`a${local}@b.co`)).to.equal(false);
  });

  it('when the input is a long hostile string, then the check still answers (no backtracking)', () => {
    expect(isEmailAddress(`a@${'.'.repeat(100_000)} `)).to.equal(false);
  });
});
