import { expect } from 'chai';
import { emptyFilteringProfile } from '../../../data/schemas/librarySchemas.js';
import {
  profileFormValues,
  readFilterTestForm,
  readProfileForm,
} from '../../../server/forms/libraryForms.js';

const TODAY = '2026-06-15';
const date = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year };
};

describe('Library forms', () => {
  describe('filtering profile', () => {
    it('when a full profile is typed, then it is read, with ticked and typed categories merged without repeats', () => {
      const { profile, errors } = readProfileForm(
        {
          provider: ' Smoothwall ',
          product: 'Filter',
          iwfConfirmed: 'yes',
          ...date('iwfOn', '2026-02-01'),
          iwfEvidence: 'Letter 12',
          ctiruConfirmed: 'no',
          ...date('ctiruOn', '2026-02-01'),
          ctiruEvidence: 'ignored',
          blockedCategories: ['Extremism', 'Violence', 'Not a real box'],
          otherCategories: 'Militancy, extremism; Hate',
          childProfile: 'yes',
          childAgeThreshold: '16',
          publicPcCount: '8',
          publicWifi: 'filtered',
          filteringPolicyVersion: '3',
          ...date('filteringPolicyApproved', '2026-03-01'),
        },
        TODAY,
      );
      expect(errors).to.deep.equal({});
      expect(profile).to.deep.include({
        provider: 'Smoothwall',
        product: 'Filter',
        iwf: { confirmed: true, on: '2026-02-01', evidence: 'Letter 12' },
        ctiru: { confirmed: false, on: null, evidence: null },
        blockedCategories: ['Extremism', 'Violence', 'Militancy', 'Hate'],
        childProfile: true,
        childAgeThreshold: 16,
        publicPcCount: 8,
        publicWifi: 'filtered',
      });
      // A policy's next review defaults to 12 months after approval.
      expect(profile!.filteringPolicy).to.deep.equal({
        version: '3',
        approvedOn: '2026-03-01',
        nextReview: '2027-03-01',
        url: null,
      });
    });

    it('when a confirmation has no date or evidence, a date is in the future and a review precedes approval, then each is an error and nothing is read', () => {
      const { profile, errors, values } = readProfileForm(
        {
          provider: 'Smoothwall',
          iwfConfirmed: 'yes',
          ctiruConfirmed: 'yes',
          ...date('ctiruOn', '2026-06-16'),
          ctiruEvidence: 'Letter',
          accessAgreementVersion: '2',
          ...date('accessAgreementApproved', '2026-03-01'),
          ...date('accessAgreementReview', '2026-02-01'),
          inappropriateUsePolicyVersion: '1',
          childAgeThreshold: 'sixteen',
        },
        TODAY,
      );
      expect(profile).to.equal(null);
      expect(Object.keys(errors).sort()).to.deep.equal([
        'accessAgreementReview',
        'ctiruOn',
        'inappropriateUsePolicyApproved',
        'iwfEvidence',
        'iwfOn',
      ]);
      expect(errors.ctiruOn?.text).to.equal(
        'The date the provider confirmed the CTIRU list is blocked must be today or in the past',
      );
      expect(errors.iwfOn?.href).to.equal('#iwfOn-day');
      expect(values.provider).to.equal('Smoothwall');
      expect(values.ctiruOn).to.deep.equal({ day: '16', month: '06', year: '2026' });
    });

    it('when there is no children’s profile, then an age typed for it is not kept; a bad age is refused only with one', () => {
      const without = readProfileForm({ childProfile: 'no', childAgeThreshold: '16' }, TODAY);
      expect(without.profile!.childAgeThreshold).to.equal(null);
      const bad = readProfileForm({ childProfile: 'yes', childAgeThreshold: '99' }, TODAY);
      expect(bad.errors.childAgeThreshold?.text).to.equal(
        'The age limit of the children’s profile must be a whole number from 1 to 25',
      );
    });

    it('when a stored profile is shown again, then reading the form gives the same profile back', () => {
      const stored = readProfileForm(
        {
          provider: 'Smoothwall',
          iwfConfirmed: 'yes',
          ...date('iwfOn', '2026-02-01'),
          iwfEvidence: 'Letter',
          blockedCategories: ['Extremism'],
          otherCategories: 'Hate',
          publicWifi: 'none',
        },
        TODAY,
      ).profile!;
      const values = profileFormValues(stored);
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) {
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) Object.assign(body, date(k, v));
        else if (v !== null) body[k] = v;
      }
      expect(readProfileForm(body, TODAY).profile).to.deep.equal(stored);
      expect(profileFormValues(emptyFilteringProfile())).to.include({ provider: '', iwfConfirmed: 'no' });
    });
  });

  describe('filter test', () => {
    it('when a test is recorded, then date, device, categories, result and notes are read', () => {
      const { test, errors } = readFilterTestForm(
        {
          ...date('testedOn', '2026-06-10'),
          deviceOrNetwork: 'Public PC 3',
          categoriesTried: ['Extremism', 'Gambling'],
          result: 'blocked',
        },
        TODAY,
      );
      expect(errors).to.deep.equal({});
      expect(test).to.deep.equal({
        testedOn: '2026-06-10',
        deviceOrNetwork: 'Public PC 3',
        categoriesTried: ['Extremism', 'Gambling'],
        result: 'blocked',
        categoriesNotBlocked: [],
        notes: null,
      });
    });

    it('when a failed test is recorded, then the categories that got through are read, ticked and typed', () => {
      const { test, errors } = readFilterTestForm(
        {
          ...date('testedOn', '2026-06-10'),
          deviceOrNetwork: 'Public Wi-Fi',
          categoriesTried: ['Self-harm', 'Extremism'],
          otherCategories: 'Hate',
          result: 'not-blocked',
          categoriesNotBlocked: ['Self-harm'],
          otherNotBlocked: 'hate',
          notes: 'A forum loaded',
        },
        TODAY,
      );
      expect(errors).to.deep.equal({});
      expect(test?.categoriesNotBlocked).to.deep.equal(['Self-harm', 'hate']);
    });

    it('when the form is empty, or a failed test has no notes, then each missing part is named', () => {
      expect(Object.keys(readFilterTestForm({}, TODAY).errors)).to.deep.equal([
        'testedOn',
        'deviceOrNetwork',
        'categoriesTried',
        'result',
      ]);
      const failed = readFilterTestForm(
        {
          ...date('testedOn', '2026-06-16'),
          deviceOrNetwork: 'Wi-Fi',
          otherCategories: 'Hate',
          result: 'not-blocked',
        },
        TODAY,
      );
      expect(Object.keys(failed.errors)).to.deep.equal(['testedOn', 'categoriesNotBlocked', 'notes']);
    });
  });
});
