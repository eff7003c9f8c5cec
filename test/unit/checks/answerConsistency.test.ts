import { expect } from 'chai';
import {
  answersFromRecords,
  contradictions,
  type KnownFacts,
  recordedAnswers,
} from '../../../checks/answerConsistency.js';
import { reviewDueReason } from '../../../checks/reviewDueReason.js';
import { emptyFilteringProfile } from '../../../data/schemas/librarySchemas.js';
import { actionRecord } from '../../support/records.js';

const AS_OF = '2026-06-15';
const yes = { answer: 'yes' as const };

describe('Answers checked against the records', () => {
  it('when an action of the last audit is open or was closed late, then P13 "yes" is contradicted, naming each', () => {
    const facts: KnownFacts = {
      asOf: AS_OF,
      previousAuditActions: [
        actionRecord('a1', { description: 'Brief the volunteers', dueOn: '2025-12-13' }),
        actionRecord('a2', {
          description: 'Fix the lease',
          dueOn: '2026-01-10',
          status: 'closed',
          closedAt: '2026-02-01T10:00:00.000Z',
        }),
        actionRecord('a3', {
          description: 'On time',
          dueOn: '2026-01-10',
          status: 'closed',
          closedAt: '2026-01-10T23:30:00.000Z',
        }),
      ],
    };
    const recorded = recordedAnswers('premises-audit', facts);
    expect(contradictions({ P13: yes }, recorded)).to.deep.equal([
      {
        questionId: 'P13',
        message:
          'From the last audit, “Brief the volunteers” is still open (overdue since 13 December 2025); and “Fix the lease” was closed on 1 February 2026, after its due date of 10 January 2026.',
      },
    ]);
    expect(contradictions({ P13: { answer: 'no' } }, recorded)).to.deep.equal([]);
  });

  it('when every action of the last audit was closed by its due date (closed at 23:30 London time on the day counts), or there were none, then "yes" stands', () => {
    const onTime = actionRecord('a1', {
      dueOn: '2026-01-10',
      status: 'closed',
      closedAt: '2026-01-10T23:30:00.000Z',
    });
    expect(recordedAnswers('premises-audit', { asOf: AS_OF, previousAuditActions: [onTime] })).to.deep.equal([
      { questionId: 'P13', answer: 'yes', text: 'The action from the last audit was closed by its due date' },
    ]);
    expect(recordedAnswers('premises-audit', { asOf: AS_OF, previousAuditActions: [] })).to.deep.equal([]);
  });

  it('when a school’s lead was trained over 2 years ago, then S2 is "no" from the records, filled in to confirm; S1 follows the contact confirmation', () => {
    const recorded = recordedAnswers('school-audit', {
      asOf: AS_OF,
      currentLeads: [
        { role: 'Prevent lead (DSL)', contactConfirmedOn: '2026-01-01', lastPreventTraining: '2024-06-14' },
      ],
    });
    expect(recorded).to.deep.equal([
      {
        questionId: 'S1',
        answer: 'yes',
        text: 'Prevent lead (DSL) on record, contact details confirmed on 1 January 2026',
      },
      {
        questionId: 'S2',
        answer: 'no',
        text: 'No current Prevent lead has Prevent training in the last 2 years on record (the latest was on 14 June 2024)',
      },
    ]);
    expect(answersFromRecords('school-audit', recorded)).to.deep.equal({
      S1: { answer: 'yes', reason: null, note: null, toConfirm: true, from: 'records' },
      S2: { answer: 'no', reason: null, note: null, toConfirm: true, from: 'records' },
    });
    // Exactly 2 years is still in date; no lead at all is "no" to both.
    const onTheDay = recordedAnswers('school-audit', {
      asOf: AS_OF,
      currentLeads: [
        { role: 'Prevent lead (DSL)', contactConfirmedOn: null, lastPreventTraining: '2024-06-15' },
      ],
    });
    expect(onTheDay.map((r) => r.answer)).to.deep.equal(['no', 'yes']);
    expect(
      recordedAnswers('school-audit', { asOf: AS_OF, currentLeads: [] }).map((r) => r.answer),
    ).to.deep.equal(['no', 'no']);
    expect(answersFromRecords('premises-audit', recorded)).to.deep.equal({});
  });

  it('when the library profile lacks a provider, categories and policies, then the attestation’s claims about them are contradicted; a complete profile contradicts none', () => {
    const empty = recordedAnswers('library-attestation', {
      asOf: AS_OF,
      libraryProfile: { ...emptyFilteringProfile(), publicWifi: 'unfiltered' },
      lastFilterTestOn: '2025-06-14',
    });
    const all = Object.fromEntries(['L1', 'L2', 'L3', 'L4', 'L6', 'L7', 'L8', 'L12'].map((q) => [q, yes]));
    expect(contradictions(all, empty).map((c) => c.questionId)).to.deep.equal([
      'L1',
      'L2',
      'L3',
      'L4',
      'L6',
      'L7',
      'L8',
      'L12',
    ]);
    const doc = { version: '1', approvedOn: '2026-01-01', nextReview: '2027-01-01', url: null };
    const confirmed = { confirmed: true, on: '2026-01-01', evidence: 'Letter' };
    const full = recordedAnswers('library-attestation', {
      asOf: AS_OF,
      libraryProfile: {
        ...emptyFilteringProfile(),
        provider: 'Smoothwall',
        iwf: confirmed,
        ctiru: confirmed,
        blockedCategories: ['Extremism', 'Discrimination', 'Violence'],
        publicWifi: 'filtered',
        filteringPolicy: doc,
        accessAgreement: doc,
        inappropriateUsePolicy: doc,
      },
      lastFilterTestOn: '2025-06-15',
    });
    expect(contradictions(all, full)).to.deep.equal([]);
  });

  it('when the reason a review is due is given, then a provider change comes first, then overdue, then due by', () => {
    const latest = { completedOn: '2025-06-01', nextDue: '2026-06-01' };
    const changed = {
      dueFrom: '2026-06-10',
      reason: 'the filtering provider changed from A to B on 10 June 2026',
    };
    const what = 'library internet-access attestation';
    expect(reviewDueReason({ asOf: AS_OF, what, latest, changed })).to.equal(
      'Due because the filtering provider changed from A to B on 10 June 2026.',
    );
    expect(reviewDueReason({ asOf: AS_OF, what, latest, changed: null })).to.equal(
      `Overdue since 1 June 2026: the last ${what} was on 1 June 2025.`,
    );
    expect(reviewDueReason({ asOf: AS_OF, what, latest: null, changed: null })).to.equal(
      `Due because there is no ${what} on record yet.`,
    );
    expect(
      reviewDueReason({
        asOf: AS_OF,
        what: 'premises audit',
        latest: { completedOn: '2026-03-01', nextDue: '2027-03-01' },
        changed: null,
        nextDue: '2026-09-01',
        highRisk: true,
      }),
    ).to.equal(
      'Due by 1 September 2026: the last premises audit was on 1 March 2026 (every 6 months: the building is rated high risk).',
    );
  });
});
