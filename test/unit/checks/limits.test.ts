import { expect } from 'chai';
import { fieldKind, fieldLimit, isEmailAddress, TEXT_LIMITS, tooLongFields } from '../../../checks/limits.js';
import { columnKind } from '../../../data/schemas/textLimits.js';
import { normaliseName } from '../../../checks/nameMatching.js';

describe('checks/limits: one table of field lengths (SPEC §10)', () => {
  it('when a field is named, then its limit follows the SPEC: email 254, a name 200, a reference 50, free text 5,000', () => {
    expect(fieldLimit('email')).to.equal(254);
    expect(fieldLimit('hirerEmail')).to.equal(254);
    expect(fieldLimit('name')).to.equal(200);
    expect(fieldLimit('hirerName')).to.equal(200);
    expect(fieldLimit('speaker-3-name')).to.equal(200);
    expect(fieldLimit('attest-name')).to.equal(200);
    expect(fieldLimit('organisation')).to.equal(200);
    expect(fieldLimit('ref')).to.equal(50);
    expect(fieldLimit('otherNames')).to.equal(5_000);
    expect(fieldLimit('purpose')).to.equal(5_000);
    expect(fieldKind('start-day')).to.equal('short');
  });

  it('when CSV columns are named, then emails, refs and single names are bounded as forms are', () => {
    expect(TEXT_LIMITS[columnKind('site_manager_email')]).to.equal(254);
    expect(TEXT_LIMITS[columnKind('booking_ref')]).to.equal(50);
    expect(TEXT_LIMITS[columnKind('URN')]).to.equal(50);
    expect(TEXT_LIMITS[columnKind('hirer_name')]).to.equal(200);
    expect(TEXT_LIMITS[columnKind('EstablishmentName')]).to.equal(200);
    expect(TEXT_LIMITS[columnKind('other_names')]).to.equal(5_000);
    expect(TEXT_LIMITS[columnKind('speakers')]).to.equal(5_000);
  });

  it('when a body has over-long values (also inside repeated fields), then each field is named once', () => {
    expect(
      tooLongFields({
        email: 'a'.repeat(255),
        name: ['ok', 'n'.repeat(201)],
        notes: 'x'.repeat(5_000),
        ref: 'r',
      }),
    ).to.deep.equal([
      { field: 'email', limit: 254 },
      { field: 'name', limit: 200 },
    ]);
    expect(tooLongFields(undefined)).to.deep.equal([]);
  });

  it('when emails are checked, then the answers match the old pattern and a hostile one takes one pass', () => {
    for (const ok of ['a@b.c', 'name@example.gov.uk', 'a.b@c.d', 'a@b.c.', 'a@.b.c'])
      expect(isEmailAddress(ok), ok).to.equal(true);
    for (const bad of [
      '',
      'a@b',
      '@b.c',
      'a@.c',
      'a@b.',
      'a b@c.d',
      'a@b@c.d',
      'a@b.c\n',
      `${'a'.repeat(250)}@b.cd`,
    ])
      expect(isEmailAddress(bad), bad).to.equal(false);
    // The pattern it replaced took seconds on this; a single pass is immediate whatever the machine.
    expect(isEmailAddress(`a@${'a.'.repeat(20_000)}@`)).to.equal(false);
  });

  it('when a name has thousands of words, then it is normalised as sorting would order them (no quadratic sort)', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${60 - i}`);
    expect(normaliseName(words.join(' '))).to.equal([...words].sort().join(' '));
    expect(
      normaliseName(Array.from({ length: 16_000 }, (_, i) => `w${i}`).join(' ')).split(' '),
    ).to.have.length(100);
  });
});
