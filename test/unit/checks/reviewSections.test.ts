import { expect } from 'chai';
import type { Answers } from '../../../checks/reviewRules.js';
import { reviewSections, sectionOfQuestion, sectionStatus } from '../../../checks/reviewSections.js';
import { bookingDueDiligence } from '../../../checks/templates/bookingDueDiligence.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';

const sections = reviewSections(bookingDueDiligence);
const ask = sections[0];

describe('Review sections (a long checklist, one page per section)', () => {
  it('when the booking checks are split, then ASK, CHECK and DECIDE come in the order they first appear, H14 in ASK', () => {
    expect(sections.map((s) => [s.number, s.title])).to.deep.equal([
      [1, 'ASK'],
      [2, 'CHECK'],
      [3, 'DECIDE'],
    ]);
    expect(ask?.questionIds).to.deep.equal(['H1', 'H2', 'H3', 'H4', 'H14']);
    expect(sections.flatMap((s) => s.questionIds).sort()).to.deep.equal(
      bookingDueDiligence.questions.map((q) => q.id).sort(),
    );
    expect(sectionOfQuestion(sections, 'H12')?.number).to.equal(3);
  });

  it('when a checklist has no sections, or only one, then it has none (it stays on one page)', () => {
    expect(reviewSections(premisesAudit)).to.deep.equal([]);
    const oneSection = {
      ...bookingDueDiligence,
      questions: bookingDueDiligence.questions.map((q) => ({ ...q, section: 'ALL' })),
    };
    expect(reviewSections(oneSection)).to.deep.equal([]);
  });

  it('when a section’s answers go from none to some to all, then it is not started, in progress, completed', () => {
    if (!ask) throw new Error('no ASK section');
    const answers: Answers = {};
    expect(sectionStatus(bookingDueDiligence, ask, answers)).to.equal('Not started');
    answers.H1 = { answer: 'yes' };
    expect(sectionStatus(bookingDueDiligence, ask, answers)).to.equal('In progress');
    for (const id of ask.questionIds) answers[id] = { answer: 'yes' };
    expect(sectionStatus(bookingDueDiligence, ask, answers)).to.equal('Completed');
    // Answers in another section do not count towards this one.
    expect(sectionStatus(bookingDueDiligence, ask, { H5: { answer: 'yes' } })).to.equal('Not started');
  });

  it('when an answer in a section is carried over and not confirmed, then the section is in progress', () => {
    if (!ask) throw new Error('no ASK section');
    const answers: Answers = Object.fromEntries(ask.questionIds.map((id) => [id, { answer: 'yes' }]));
    answers.H2 = { answer: 'yes', toConfirm: true };
    expect(sectionStatus(bookingDueDiligence, ask, answers)).to.equal('In progress');
  });
});
