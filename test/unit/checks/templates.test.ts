import { expect } from 'chai';
import type { ChecklistTemplate } from '../../../checks/templateTypes.js';
import { actionPlanReview } from '../../../checks/templates/actionPlanReview.js';
import { bookingDueDiligence, bookingDueDiligenceV1 } from '../../../checks/templates/bookingDueDiligence.js';
import { getTemplate, latestTemplateFor, templates } from '../../../checks/templates/index.js';
import { libraryAttestation } from '../../../checks/templates/libraryAttestation.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { schoolAudit } from '../../../checks/templates/schoolAudit.js';

interface Expected {
  template: ChecklistTemplate;
  prefix: string;
  count: number;
  /** Exactly the questions CHECKLISTS.md marks critical (including "critical if …"). */
  critical: string[];
}

const expectations: Expected[] = [
  { template: premisesAudit, prefix: 'P', count: 13, critical: ['P1', 'P5', 'P6', 'P7', 'P9', 'P12'] },
  {
    template: bookingDueDiligence,
    prefix: 'H',
    count: 14,
    critical: ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H10', 'H11', 'H12'],
  },
  {
    template: libraryAttestation,
    prefix: 'L',
    count: 14,
    critical: ['L1', 'L2', 'L3', 'L4', 'L6', 'L7', 'L8', 'L11'],
  },
  {
    template: schoolAudit,
    prefix: 'S',
    count: 15,
    critical: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S14'],
  },
  { template: actionPlanReview, prefix: 'G', count: 6, critical: ['G1', 'G2', 'G4'] },
];

const ids = (questions: ChecklistTemplate['questions']): string[] => questions.map((q) => q.id);

describe('checklist templates', () => {
  for (const { template, prefix, count, critical } of expectations) {
    describe(template.id, () => {
      it(`when listed, then the questions are ${prefix}1 to ${prefix}${count} in order with no gaps or repeats`, () => {
        const expected = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
        expect(ids(template.questions)).to.deep.equal(expected);
      });

      it('when the critical flags are read, then they are exactly the ones CHECKLISTS.md marks', () => {
        expect(ids(template.questions.filter((q) => q.critical))).to.deep.equal(critical);
      });

      it('when a question has "applies when", then it refers to an earlier question', () => {
        template.questions.forEach((question, index) => {
          if (!question.appliesWhen) return;
          const earlier = ids(template.questions.slice(0, index));
          expect(earlier, `${question.id} applies when ${question.appliesWhen.question}`).to.include(
            question.appliesWhen.question,
          );
        });
      });

      it('when N/A can be given, then it always needs a reason', () => {
        for (const question of template.questions) {
          expect(question.naNeedsReason, question.id).to.equal(true);
        }
      });

      it('when a question is shown, then it has a question, short help and a guidance source', () => {
        for (const question of template.questions) {
          expect(question.text, question.id).to.match(/\?$/);
          expect(question.help.length, `${question.id} help`).to.be.within(10, 160);
          expect(question.source.trim(), `${question.id} source`).to.not.equal('');
        }
      });

      it('when the help text tells people to answer N/A, then N/A is offered', () => {
        for (const question of template.questions) {
          if (/answer N\/A/i.test(question.help)) expect(question.naAllowed, question.id).to.equal(true);
        }
      });
    });
  }

  describe('booking-due-diligence', () => {
    it('when read, then it is checked once per booking (no review interval)', () => {
      expect(bookingDueDiligence).to.include({
        id: 'booking-due-diligence',
        version: 2,
        subjectType: 'booking',
        intervalMonths: null,
      });
    });

    it('when grouped, then ASK, CHECK and DECIDE follow the North Yorkshire steps', () => {
      const section = (wanted: string) =>
        ids(bookingDueDiligence.questions.filter((q) => q.section === wanted));
      expect(section('ASK')).to.deep.equal(['H1', 'H2', 'H3', 'H4', 'H14']);
      expect(section('CHECK')).to.deep.equal(['H5', 'H6', 'H7', 'H8', 'H9', 'H10', 'H11']);
      expect(section('DECIDE')).to.deep.equal(['H12', 'H13']);
    });

    it('when the checks are done before the decision, then H12 and H13 (version 2) do not ask whether a decision was made; version 1 stays for old checks', () => {
      const text = (t: ChecklistTemplate, id: string) => t.questions.find((q) => q.id === id)?.text ?? '';
      expect(bookingDueDiligence.version).to.equal(2);
      expect(text(bookingDueDiligence, 'H12')).to.include('referred to the Prevent lead for the decision');
      expect(text(bookingDueDiligence, 'H12')).to.not.match(/decision made/);
      expect(text(bookingDueDiligence, 'H13')).to.not.match(/passed to on-site staff/);
      expect(getTemplate('booking-due-diligence', 1)).to.equal(bookingDueDiligenceV1);
      expect(text(bookingDueDiligenceV1, 'H12')).to.include('a decision made');
      const shape = (t: ChecklistTemplate) =>
        t.questions.map((q) => [q.id, q.section, q.critical, q.naAllowed]);
      expect(shape(bookingDueDiligence)).to.deep.equal(shape(bookingDueDiligenceV1));
    });

    it('when there are no speakers, no charity or no concern, then N/A with a reason is allowed', () => {
      const byId = new Map(bookingDueDiligence.questions.map((q) => [q.id, q]));
      for (const id of ['H4', 'H7', 'H12']) expect(byId.get(id)?.naAllowed, id).to.equal(true);
    });
  });

  describe('library-attestation', () => {
    it('when read, then it is annual with an attestation naming the library and the date', () => {
      expect(libraryAttestation).to.include({
        id: 'library-attestation',
        subjectType: 'library',
        intervalMonths: 12,
      });
      expect(libraryAttestation.attestation?.statement).to.equal(
        'I confirm that the answers above are accurate for {subject} as at {date}.',
      );
    });

    it('when starting from last year, then only the policy and configuration facts are pre-filled to confirm', () => {
      const confirmed = ids(libraryAttestation.questions.filter((q) => q.confirmEachTime));
      expect(confirmed).to.deep.equal(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L13']);
    });
  });

  describe('school-audit', () => {
    it('when read, then it is annual with an attestation naming the school and the date', () => {
      expect(schoolAudit).to.include({ id: 'school-audit', subjectType: 'school', intervalMonths: 12 });
      expect(schoolAudit.attestation?.statement).to.contain('{subject}').and.to.contain('{date}');
    });
  });

  describe('action-plan-review', () => {
    it('when read, then the plan as a whole is reviewed every 3 months', () => {
      expect(actionPlanReview).to.include({
        id: 'action-plan-review',
        subjectType: 'plan',
        intervalMonths: 3,
      });
    });
  });
});

describe('template registry', () => {
  it('when listed, then all five templates are there once each, with every version published', () => {
    const keys = templates.map((t) => `${t.id}@${t.version}`);
    expect(keys).to.have.members([
      'premises-audit@1',
      'booking-due-diligence@1',
      'booking-due-diligence@2',
      'library-attestation@1',
      'school-audit@1',
      'action-plan-review@1',
    ]);
  });

  it('when each subject type has at most one template id, then "latest for subject type" is unambiguous', () => {
    const idsByType = new Map<string, Set<string>>();
    for (const t of templates)
      idsByType.set(t.subjectType, (idsByType.get(t.subjectType) ?? new Set()).add(t.id));
    for (const [type, set] of idsByType) expect(set.size, type).to.equal(1);
  });

  it('when a template is asked for without a version, then the latest is returned', () => {
    expect(getTemplate('library-attestation')).to.equal(libraryAttestation);
  });

  it('when a template is asked for by version, then that version is returned', () => {
    expect(getTemplate('premises-audit', 1)).to.equal(premisesAudit);
  });

  it('when the id is unknown, then a clear error names it', () => {
    expect(() => getTemplate('no-such-template')).to.throw(
      Error,
      'Unknown checklist template "no-such-template"',
    );
  });

  it('when the version is unknown, then a clear error names the known versions', () => {
    expect(() => getTemplate('school-audit', 7)).to.throw(
      Error,
      'Checklist template "school-audit" has no version 7 (known versions: 1)',
    );
  });

  it('when the latest template for a subject type is asked for, then the matching template is returned', () => {
    expect(latestTemplateFor('premises')).to.equal(premisesAudit);
    expect(latestTemplateFor('booking')).to.equal(bookingDueDiligence);
    expect(latestTemplateFor('library')).to.equal(libraryAttestation);
    expect(latestTemplateFor('school')).to.equal(schoolAudit);
    expect(latestTemplateFor('plan')).to.equal(actionPlanReview);
  });

  it('when a subject type has no checklist, then none is returned', () => {
    expect(latestTemplateFor('department')).to.equal(undefined);
    expect(latestTemplateFor('action')).to.equal(undefined);
  });
});
