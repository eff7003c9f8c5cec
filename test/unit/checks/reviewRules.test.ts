import { expect } from 'chai';
import {
  type Answers,
  answerProblems,
  effectiveAnswer,
  nextDueDate,
  noAnswers,
  prefillFromPrevious,
  questionApplies,
  reviewIntervalMonths,
  reviewOutcome,
} from '../../../checks/reviewRules.js';
import type { Answer, ChecklistTemplate, Question } from '../../../checks/templateTypes.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';

function question(id: string): Question {
  const q = premisesAudit.questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
}

/** Every question of the premises audit answered "yes", with `changes` on top. */
function answers(
  changes: Record<string, Answer | { answer: Answer; reason?: string; toConfirm?: boolean }> = {},
) {
  const out: Answers = {};
  for (const q of premisesAudit.questions) out[q.id] = { answer: 'yes' };
  for (const [id, change] of Object.entries(changes)) {
    out[id] = typeof change === 'string' ? { answer: change } : change;
  }
  return out;
}

const libraryTemplate: ChecklistTemplate = {
  id: 'library-attestation',
  version: 1,
  title: 'Library attestation',
  subjectType: 'library',
  intervalMonths: 12,
  questions: [],
};

const bookingTemplate: ChecklistTemplate = {
  ...libraryTemplate,
  subjectType: 'booking',
  intervalMonths: null,
};

describe('Review rules (premises audit)', () => {
  describe('the template', () => {
    it('when the premises audit is read, then it has P1 to P13 with P5-P8 on P2 and P9 on P3', () => {
      expect(premisesAudit.questions.map((q) => q.id)).to.deep.equal(
        Array.from({ length: 13 }, (_, i) => `P${i + 1}`),
      );
      for (const id of ['P5', 'P6', 'P7', 'P8']) {
        expect(question(id).appliesWhen).to.deep.equal({ question: 'P2', answer: 'yes' });
      }
      expect(question('P9').appliesWhen).to.deep.equal({ question: 'P3', answer: 'yes' });
      expect(premisesAudit.intervalMonths).to.equal(12);
      expect(new Set(premisesAudit.questions.map((q) => q.id)).size).to.equal(13);
    });
  });

  describe('outcome', () => {
    it('when every answer is yes, then the review is compliant', () => {
      expect(reviewOutcome(premisesAudit, answers())).to.equal('compliant');
    });

    it('when answers are yes or N/A, then the review is compliant', () => {
      const a = answers({
        P12: { answer: 'na', reason: 'Run by the council' },
        P13: { answer: 'na', reason: 'First audit' },
      });
      expect(reviewOutcome(premisesAudit, a)).to.equal('compliant');
    });

    it('when a critical question is answered no, then the review is non-compliant', () => {
      expect(question('P1').critical).to.equal(true);
      expect(reviewOutcome(premisesAudit, answers({ P1: 'no' }))).to.equal('non-compliant');
      expect(reviewOutcome(premisesAudit, answers({ P10: 'no', P12: 'no' }))).to.equal('non-compliant');
    });

    it('when only non-critical questions are answered no, then the review is partially compliant', () => {
      expect(question('P10').critical).to.equal(false);
      expect(reviewOutcome(premisesAudit, answers({ P10: 'no' }))).to.equal('partially-compliant');
      expect(reviewOutcome(premisesAudit, answers({ P4: 'no', P13: 'no' }))).to.equal('partially-compliant');
    });

    it('when P2 is no, then a no to P5 does not count: P5 does not apply and counts as N/A', () => {
      const a = answers({ P2: 'no', P5: 'no', P8: 'no' });
      expect(questionApplies(question('P5'), a)).to.equal(false);
      expect(effectiveAnswer(question('P5'), a)).to.equal('na');
      expect(reviewOutcome(premisesAudit, a)).to.equal('compliant');
      expect(noAnswers(premisesAudit, a)).to.deep.equal([]);
    });

    it('when a building has no hireable space and no public IT (P2 and P3 no), then that is no finding: compliant, no actions', () => {
      expect(question('P2').scoping).to.equal(true);
      expect(question('P3').scoping).to.equal(true);
      const a = answers({ P2: 'no', P3: 'no' });
      expect(reviewOutcome(premisesAudit, a)).to.equal('compliant');
      expect(noAnswers(premisesAudit, a)).to.deep.equal([]);
      expect(reviewOutcome(premisesAudit, answers({ P2: 'no', P10: 'no' }))).to.equal('partially-compliant');
    });

    it('when P2 is yes, then a no to P5 (critical) makes the review non-compliant', () => {
      const a = answers({ P2: 'yes', P5: 'no' });
      expect(questionApplies(question('P5'), a)).to.equal(true);
      expect(reviewOutcome(premisesAudit, a)).to.equal('non-compliant');
    });

    it('when P3 is no, then a no to P9 does not count', () => {
      expect(reviewOutcome(premisesAudit, answers({ P3: 'no', P9: 'no' }))).to.equal('compliant');
    });

    it('when several questions are no, then each applicable one can raise an action', () => {
      const a = answers({ P4: 'no', P6: 'no', P11: 'no' });
      expect(noAnswers(premisesAudit, a).map((q) => q.id)).to.deep.equal(['P4', 'P6', 'P11']);
    });
  });

  describe('what stops a submission', () => {
    it('when every applicable question is answered properly, then there are no problems', () => {
      expect(answerProblems(premisesAudit, answers())).to.deep.equal([]);
      const a = answers({ P2: 'no', P5: 'no', P12: { answer: 'na', reason: 'Run by the council' } });
      delete a.P6;
      expect(answerProblems(premisesAudit, a)).to.deep.equal([]);
    });

    it('when nothing is answered, then each question that applies is listed as unanswered', () => {
      const problems = answerProblems(premisesAudit, {});
      // P5-P8 and P9 hang on P2 and P3, which are not yet "yes".
      expect(problems.map((p) => p.questionId)).to.deep.equal([
        'P1',
        'P2',
        'P3',
        'P4',
        'P10',
        'P11',
        'P12',
        'P13',
      ]);
      expect(problems[0]?.message).to.equal('Answer question P1');
    });

    it('when a question that applies is left out or null, then it is unanswered', () => {
      const a = answers({ P7: { answer: null as unknown as Answer } });
      delete a.P4;
      expect(answerProblems(premisesAudit, a)).to.deep.equal([
        { questionId: 'P4', message: 'Answer question P4' },
        { questionId: 'P7', message: 'Answer question P7' },
      ]);
    });

    it('when N/A is given without a reason (or only spaces), then a reason is asked for', () => {
      expect(
        answerProblems(
          premisesAudit,
          answers({ P12: { answer: 'na' }, P13: { answer: 'na', reason: '   ' } }),
        ),
      ).to.deep.equal([
        { questionId: 'P12', message: 'Give a reason why question P12 is not applicable' },
        { questionId: 'P13', message: 'Give a reason why question P13 is not applicable' },
      ]);
    });

    it('when N/A is given to a question that does not allow it (P1), then it is refused even with a reason', () => {
      expect(question('P1').naAllowed).to.equal(false);
      expect(
        answerProblems(premisesAudit, answers({ P1: { answer: 'na', reason: 'Not sure' } })),
      ).to.deep.equal([{ questionId: 'P1', message: 'Question P1 cannot be answered "not applicable"' }]);
    });

    it('when an answer carried over from last review is not confirmed, then it must be confirmed', () => {
      expect(
        answerProblems(premisesAudit, answers({ P3: { answer: 'yes', toConfirm: true } })),
      ).to.deep.equal([
        { questionId: 'P3', message: 'Confirm or change the answer to question P3 from last review' },
      ]);
      expect(
        answerProblems(premisesAudit, answers({ P3: { answer: 'yes', toConfirm: false } })),
      ).to.deep.equal([]);
    });
  });

  describe('next due date', () => {
    it('when a premises audit is completed, then the next is due 12 months later, or 6 for high-risk premises', () => {
      expect(nextDueDate(premisesAudit, '2026-03-14')).to.equal('2027-03-14');
      expect(nextDueDate(premisesAudit, '2026-03-14', { highRisk: true })).to.equal('2026-09-14');
      expect(nextDueDate(premisesAudit, '2026-03-14', { highRisk: false })).to.equal('2027-03-14');
    });

    it('when completed on 29 February, then it is due on 28 February next year, or 29 August if high risk', () => {
      expect(nextDueDate(premisesAudit, '2028-02-29')).to.equal('2029-02-28');
      expect(nextDueDate(premisesAudit, '2028-02-29', { highRisk: true })).to.equal('2028-08-29');
    });

    it('when completed on 31 August, then a 6-month review falls on the last day of February', () => {
      expect(nextDueDate(premisesAudit, '2026-08-31')).to.equal('2027-08-31');
      expect(nextDueDate(premisesAudit, '2026-08-31', { highRisk: true })).to.equal('2027-02-28');
      expect(nextDueDate(premisesAudit, '2027-08-31', { highRisk: true })).to.equal('2028-02-29');
    });

    it('when the subject is not premises, then high risk does not shorten the interval', () => {
      expect(reviewIntervalMonths(libraryTemplate, { highRisk: true })).to.equal(12);
      expect(nextDueDate(libraryTemplate, '2026-03-14', { highRisk: true })).to.equal('2027-03-14');
    });

    it('when a template is checked only once (bookings), then there is no next due date', () => {
      expect(reviewIntervalMonths(bookingTemplate)).to.equal(null);
      expect(nextDueDate(bookingTemplate, '2026-03-14')).to.equal(null);
    });
  });

  describe('start from last review', () => {
    it('when a review starts from the last one, then every previous answer is copied and marked to confirm', () => {
      const previous: Answers = {
        P1: { answer: 'yes', note: 'Register checked' },
        P2: { answer: 'no' },
        P12: { answer: 'na', reason: 'Run by the council' },
        P13: { answer: null },
        P99: { answer: 'yes' },
      };
      const prefilled = prefillFromPrevious(premisesAudit, previous);
      expect(prefilled).to.deep.equal({
        P1: { answer: 'yes', reason: null, note: 'Register checked', toConfirm: true },
        P2: { answer: 'no', reason: null, note: null, toConfirm: true },
        P12: { answer: 'na', reason: 'Run by the council', note: null, toConfirm: true },
      });
    });

    it('when a pre-filled review is submitted unconfirmed, then each carried answer must be confirmed', () => {
      const prefilled = prefillFromPrevious(premisesAudit, answers());
      const problems = answerProblems(premisesAudit, prefilled);
      expect(problems).to.have.length(13);
      expect(problems.every((p) => p.message.startsWith('Confirm or change'))).to.equal(true);
    });
  });
});
