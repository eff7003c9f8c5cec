import { expect } from 'chai';
import { profileGaps, providerChanged } from '../../../checks/libraryFiltering.js';
import { prefillFromPrevious } from '../../../checks/reviewRules.js';
import { libraryAttestation } from '../../../checks/templates/libraryAttestation.js';
import { emptyFilteringProfile, type FilteringProfile } from '../../../data/schemas/librarySchemas.js';

function fullProfile(): FilteringProfile {
  const doc = { version: '2', approvedOn: '2026-01-10', nextReview: '2027-01-10', url: null };
  return {
    ...emptyFilteringProfile(),
    provider: 'Smoothwall',
    iwf: { confirmed: true, on: '2026-01-02', evidence: 'Letter 1' },
    ctiru: { confirmed: true, on: '2026-01-02', evidence: 'Letter 1' },
    blockedCategories: ['Extremism', 'discrimination', 'Violence'],
    publicWifi: 'filtered',
    filteringPolicy: doc,
    accessAgreement: doc,
    inappropriateUsePolicy: doc,
  };
}

describe('Library filtering rules', () => {
  describe('providerChanged', () => {
    it('when a provider is recorded for the first time, then it is not a change', () => {
      expect(providerChanged(null, 'Smoothwall')).to.equal(false);
      expect(providerChanged('  ', 'Smoothwall')).to.equal(false);
    });

    it('when only the case or spacing differs, then it is not a change', () => {
      expect(providerChanged('Smooth  wall', ' smooth wall')).to.equal(false);
    });

    it('when the provider is replaced or removed, then it is a change', () => {
      expect(providerChanged('Netsweeper', 'Smoothwall')).to.equal(true);
      expect(providerChanged('Netsweeper', null)).to.equal(true);
    });
  });

  describe('profileGaps', () => {
    it('when everything is recorded and in date, then there are no gaps', () => {
      expect(profileGaps(fullProfile(), '2026-06-01')).to.deep.equal([]);
    });

    it('when nothing is recorded, then every gap is named', () => {
      expect(profileGaps(emptyFilteringProfile(), '2026-06-01')).to.deep.equal([
        'No filtering provider recorded',
        'IWF membership not confirmed by the provider',
        'Blocking of the CTIRU list not confirmed by the provider',
        'Not recorded as blocked: Extremism, Discrimination, Violence',
        'Filtering policy: no approved version recorded',
        'Internet access agreement: no approved version recorded',
        'Policy on inappropriate use: no approved version recorded',
      ]);
    });

    it('when Wi-Fi is not filtered and a policy review date has passed, then both are named', () => {
      const p = fullProfile();
      p.publicWifi = 'unfiltered';
      p.accessAgreement = { ...p.accessAgreement, nextReview: '2026-05-31' };
      expect(profileGaps(p, '2026-06-01')).to.deep.equal([
        'Public Wi-Fi is not covered by the filter',
        'Internet access agreement: review was due by 31 May 2026',
      ]);
    });
  });

  describe('start from last year’s attestation', () => {
    it('when last year’s answers are copied, then only the questions marked to confirm are pre-filled, each to confirm', () => {
      const previous = Object.fromEntries(
        libraryAttestation.questions.map((q) => [q.id, { answer: 'yes' as const, note: `note ${q.id}` }]),
      );
      const prefilled = prefillFromPrevious(libraryAttestation, previous);
      expect(Object.keys(prefilled)).to.deep.equal([
        'L1',
        'L2',
        'L3',
        'L4',
        'L5',
        'L6',
        'L7',
        'L8',
        'L9',
        'L10',
        'L13',
      ]);
      expect(prefilled.L1).to.deep.equal({ answer: 'yes', reason: null, note: 'note L1', toConfirm: true });
      expect(prefilled.L12).to.equal(undefined);
    });
  });
});
