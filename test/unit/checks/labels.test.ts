import { expect } from 'chai';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import {
  flagLabel,
  recordTypeLabel,
  recordTypeLabels,
  ruleCodes,
  ruleLabel,
  ruleLabels,
  sentenceCase,
  subjectTypeLabel,
} from '../../../checks/labels.js';
import { collectionSchemas } from '../../../data/dbSchema.js';

describe('Labels: one plain name per rule, subject type and record type', () => {
  it('when every rule is labelled, then no label is a code and no two rules share one', () => {
    const labels = ruleCodes.map((c) => ruleLabels[c]);
    expect(new Set(labels).size).to.equal(labels.length);
    for (const l of labels)
      expect(l)
        .to.match(/^[A-Z][a-z]/)
        .and.not.match(/-[a-z]+-/);
    expect(ruleLabel('spoc-missing')).to.equal('No Prevent lead');
  });

  it('when a lead was never trained, then their flag reads "never trained", not "expired"', () => {
    const never = { rule: 'spoc-training-expired', dueOn: null, message: '' } as Pick<
      Flag,
      'rule' | 'dueOn' | 'message'
    >;
    const lapsed = { ...never, dueOn: '2026-01-01' };
    expect(flagLabel(never)).to.equal('Prevent lead never trained');
    expect(flagLabel(lapsed)).to.equal('Prevent lead training expired');
  });

  it('when any stored collection is named, then it has its own label in the singular and plural', () => {
    for (const c of Object.keys(collectionSchemas)) {
      expect(recordTypeLabels[c], c).to.have.keys('one', 'many');
    }
    expect(recordTypeLabel('leadTraining')).to.equal('Prevent lead training record');
    expect(recordTypeLabel('homeEducationCounts', true)).to.equal('Home education counts');
  });

  it('when a subject type or an unknown name is labelled, then it reads as words', () => {
    expect(subjectTypeLabel('booking')).to.equal('Booking');
    expect(subjectTypeLabel('library', true)).to.equal('Libraries');
    expect(sentenceCase('someNewThing')).to.equal('Some new thing');
    expect(ruleLabel('made-up-rule')).to.equal('Made up rule');
  });
});
