import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import { emptyDb } from '../../../data/dbSchema.js';
import type { Premises } from '../../../data/schemas/premisesSchemas.js';
import type { Action, Review } from '../../../data/schemas/reviewSchemas.js';
import { actionRecord, premisesRecord, reviewRecord } from '../../support/records.js';

const AS_OF = '2026-06-15';

function data(records: { premises?: Premises[]; reviews?: Review[]; actions?: Action[] }) {
  const db = emptyDb();
  db.premises.push(...(records.premises ?? []));
  db.reviews.push(...(records.reviews ?? []));
  db.actions.push(...(records.actions ?? []));
  return db;
}

/** The town hall, audited once with the given next due date and outcome. */
function townHallDue(nextDue: string, outcome: Review['outcome'] = 'compliant') {
  return data({
    premises: [premisesRecord('p1', { ref: 'TH1', name: 'Town Hall' })],
    reviews: [reviewRecord('r1', 'p1', { completedOn: '2025-12-01', nextDue, outcome })],
  });
}

function rules(flags: Flag[]): string[] {
  return flags.map((f) => f.rule);
}

describe('Flags for premises and actions', () => {
  describe('review due dates', () => {
    it('when premises have never been reviewed, then review-overdue (high) with no due date', () => {
      const flags = computeFlags(
        data({ premises: [premisesRecord('p1', { ref: 'TH1', name: 'Town Hall' })] }),
        AS_OF,
      );
      expect(flags).to.deep.equal([
        {
          rule: 'review-overdue',
          severity: 'high',
          subject: { type: 'premises', id: 'p1', ref: 'TH1', name: 'Town Hall' },
          dueOn: null,
          message: 'No premises audit on record',
        },
      ]);
    });

    it('when the next due date is before as-of, then review-overdue (high) and not due soon', () => {
      const flags = computeFlags(townHallDue('2026-06-14'), AS_OF);
      expect(flags).to.deep.equal([
        {
          rule: 'review-overdue',
          severity: 'high',
          subject: { type: 'premises', id: 'p1', ref: 'TH1', name: 'Town Hall' },
          dueOn: '2026-06-14',
          message: 'Premises audit overdue since 14 June 2026',
        },
      ]);
    });

    it('when the next due date is within 30 days, then review-due-soon (low) and not overdue', () => {
      const flags = computeFlags(townHallDue('2026-07-01'), AS_OF);
      expect(flags).to.deep.equal([
        {
          rule: 'review-due-soon',
          severity: 'low',
          subject: { type: 'premises', id: 'p1', ref: 'TH1', name: 'Town Hall' },
          dueOn: '2026-07-01',
          message: 'Premises audit due by 1 July 2026',
        },
      ]);
    });

    it('when the next due date is as-of itself, then it is due soon, not yet overdue', () => {
      expect(rules(computeFlags(townHallDue(AS_OF), AS_OF))).to.deep.equal(['review-due-soon']);
    });

    it('when the next due date is exactly 30 days after as-of, then due soon; at 31 days, no flag', () => {
      expect(rules(computeFlags(townHallDue('2026-07-15'), AS_OF))).to.deep.equal(['review-due-soon']);
      expect(computeFlags(townHallDue('2026-07-16'), AS_OF)).to.deep.equal([]);
    });

    it('when as-of moves day by day towards and past the due date, then overdue and due soon never come together', () => {
      const db = townHallDue('2026-07-01');
      const seen = new Set<string>();
      for (let day = 1; day <= 31; day++) {
        const asOf = `2026-07-${String(day).padStart(2, '0')}`;
        const found = rules(computeFlags(db, asOf));
        expect(found, asOf).to.have.length(1);
        seen.add(itemAt(found, 0));
      }
      for (let day = 1; day <= 30; day++) {
        const asOf = `2026-06-${String(day).padStart(2, '0')}`;
        const found = rules(computeFlags(db, asOf));
        expect(found.length, asOf).to.be.at.most(1);
        expect(found, asOf).not.to.include('review-overdue');
      }
      expect([...seen].sort()).to.deep.equal(['review-due-soon', 'review-overdue']);
    });
  });

  describe('risk rating', () => {
    it('when premises are rated high risk after their last audit, then the next is due 6 months after it', () => {
      const db = data({
        premises: [premisesRecord('p1', { risk: 'high' })],
        reviews: [reviewRecord('r1', 'p1', { completedOn: '2025-12-01', nextDue: '2026-12-01' })],
      });
      expect(computeFlags(db, AS_OF).map((f) => [f.rule, f.dueOn])).to.deep.equal([
        ['review-overdue', '2026-06-01'],
      ]);
    });

    it('when high-risk premises were audited as high risk, then the stored 6-month due date stands', () => {
      const db = data({
        premises: [premisesRecord('p1', { risk: 'high' })],
        reviews: [reviewRecord('r1', 'p1', { completedOn: '2026-01-10', nextDue: '2026-07-10' })],
      });
      expect(computeFlags(db, AS_OF).map((f) => [f.rule, f.dueOn])).to.deep.equal([
        ['review-due-soon', '2026-07-10'],
      ]);
    });

    it('when premises are no longer high risk, then the earlier due date stored with the audit stands', () => {
      const db = data({
        premises: [premisesRecord('p1', { risk: 'medium' })],
        reviews: [reviewRecord('r1', 'p1', { completedOn: '2025-12-01', nextDue: '2026-06-01' })],
      });
      expect(computeFlags(db, AS_OF).map((f) => [f.rule, f.dueOn])).to.deep.equal([
        ['review-overdue', '2026-06-01'],
      ]);
    });
  });

  describe('outcome of the latest review', () => {
    it('when the latest review is non-compliant, then non-compliant (high)', () => {
      const flags = computeFlags(townHallDue('2026-12-01', 'non-compliant'), AS_OF);
      expect(flags).to.deep.equal([
        {
          rule: 'non-compliant',
          severity: 'high',
          subject: { type: 'premises', id: 'p1', ref: 'TH1', name: 'Town Hall' },
          dueOn: '2026-12-01',
          message: 'Latest premises audit (1 December 2025) found critical items not in place',
        },
      ]);
    });

    it('when the latest review is partially compliant and no action was raised from it, then partially-compliant (medium) says "no action recorded"', () => {
      const flags = computeFlags(townHallDue('2026-12-01', 'partially-compliant'), AS_OF);
      expect(flags).to.have.length(1);
      expect(flags[0]).to.include({ rule: 'partially-compliant', severity: 'medium', dueOn: '2026-12-01' });
      expect(flags[0]?.message).to.equal(
        'Latest premises audit (1 December 2025) found items needing action; no action recorded',
      );
    });

    it('when an action was raised from the partially compliant review (even one closed since), then its flag does not say "no action recorded"; one from an earlier review does not count', () => {
      const db = townHallDue('2026-12-01', 'partially-compliant');
      db.actions.push(actionRecord('x0', { subjectId: 'p1', reviewId: 'r0', dueOn: '2026-12-31' }));
      expect(computeFlags(db, AS_OF)[0]?.message).to.match(/no action recorded$/);
      db.actions.push(
        actionRecord('x1', { subjectId: 'p1', reviewId: 'r1', status: 'closed', dueOn: '2026-12-31' }),
      );
      expect(computeFlags(db, AS_OF)[0]?.message).to.equal(
        'Latest premises audit (1 December 2025) found items needing action',
      );
    });

    it('when a review is overdue and non-compliant, then both flags are raised', () => {
      expect(rules(computeFlags(townHallDue('2026-06-01', 'non-compliant'), AS_OF))).to.have.members([
        'review-overdue',
        'non-compliant',
      ]);
    });

    it('when a later review is compliant, then the earlier non-compliant one no longer counts', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [
          reviewRecord('later', 'p1', {
            completedOn: '2026-05-01',
            nextDue: '2027-05-01',
            outcome: 'compliant',
          }),
          reviewRecord('earlier', 'p1', {
            completedOn: '2026-01-10',
            nextDue: '2027-01-10',
            outcome: 'non-compliant',
          }),
        ],
      });
      expect(computeFlags(db, AS_OF)).to.deep.equal([]);
    });

    it('when a later review is partially compliant after a non-compliant one, then only partially-compliant', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [
          reviewRecord('r1', 'p1', {
            completedOn: '2026-01-10',
            nextDue: '2027-01-10',
            outcome: 'non-compliant',
          }),
          reviewRecord('r2', 'p1', {
            completedOn: '2026-03-10',
            nextDue: '2027-03-10',
            outcome: 'partially-compliant',
          }),
        ],
      });
      expect(rules(computeFlags(db, AS_OF))).to.deep.equal(['partially-compliant']);
    });

    it('when two reviews were completed the same day, then the one submitted later counts', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [
          reviewRecord('correction', 'p1', {
            completedOn: '2026-05-01',
            submittedAt: '2026-05-01T15:00:00.000Z',
            outcome: 'compliant',
            nextDue: '2027-05-01',
          }),
          reviewRecord('first', 'p1', {
            completedOn: '2026-05-01',
            submittedAt: '2026-05-01T09:00:00.000Z',
            outcome: 'non-compliant',
            nextDue: '2027-05-01',
          }),
        ],
      });
      expect(computeFlags(db, AS_OF)).to.deep.equal([]);
    });

    it('when the latest review is a draft, then it is ignored and the last submitted review counts', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [
          reviewRecord('submitted', 'p1', {
            completedOn: '2026-01-10',
            nextDue: '2027-01-10',
            outcome: 'partially-compliant',
          }),
          reviewRecord('draft', 'p1', {
            status: 'draft',
            completedOn: '2026-06-01',
            nextDue: '2027-06-01',
            outcome: 'compliant',
          }),
        ],
      });
      expect(rules(computeFlags(db, AS_OF))).to.deep.equal(['partially-compliant']);
    });

    it('when premises have only a draft review, then they are still never reviewed', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [reviewRecord('draft', 'p1', { status: 'draft', submittedAt: null, outcome: null })],
      });
      const flags = computeFlags(db, AS_OF);
      expect(flags).to.have.length(1);
      expect(flags[0]).to.include({ rule: 'review-overdue', dueOn: null });
    });

    it('when a review of another kind of subject has the same id, then it does not count for the premises', () => {
      const db = data({
        premises: [premisesRecord('p1')],
        reviews: [reviewRecord('r1', 'p1', { subjectType: 'library', templateId: 'library-attestation' })],
      });
      expect(computeFlags(db, AS_OF).map((f) => [f.rule, f.dueOn])).to.deep.equal([['review-overdue', null]]);
    });
  });

  describe('archived premises', () => {
    it('when premises are archived, then they get no flags whatever their reviews say', () => {
      const db = data({
        premises: [
          premisesRecord('never', { archived: true }),
          premisesRecord('late', { archived: true }),
          premisesRecord('failed', { archived: true }),
        ],
        reviews: [
          reviewRecord('r1', 'late', { nextDue: '2026-01-01' }),
          reviewRecord('r2', 'failed', { outcome: 'non-compliant', nextDue: '2026-06-20' }),
        ],
      });
      expect(computeFlags(db, AS_OF)).to.deep.equal([]);
    });
  });

  describe('actions', () => {
    it('when an open action is past its due date, then action-overdue (medium)', () => {
      const db = data({
        actions: [actionRecord('a1', { description: 'Brief booking staff', dueOn: '2026-06-14' })],
      });
      expect(computeFlags(db, AS_OF)).to.deep.equal([
        {
          rule: 'action-overdue',
          severity: 'medium',
          subject: { type: 'action', id: 'a1', ref: 'a1', name: 'Brief booking staff' },
          dueOn: '2026-06-14',
          message: 'Action overdue since 14 June 2026',
        },
      ]);
    });

    it('when an action is closed, or due today or later, then no flag', () => {
      const db = data({
        actions: [
          actionRecord('closed', {
            dueOn: '2026-01-01',
            status: 'closed',
            closedAt: '2026-01-02T10:00:00.000Z',
            closedBy: 'alice',
          }),
          actionRecord('today', { dueOn: AS_OF }),
          actionRecord('tomorrow', { dueOn: '2026-06-16' }),
        ],
      });
      expect(computeFlags(db, AS_OF)).to.deep.equal([]);
    });
  });

  describe('every flag', () => {
    it('when flags of every kind are raised, then each has exactly rule, severity, subject {type, id, ref, name}, dueOn and message', () => {
      const db = data({
        premises: [
          premisesRecord('never'),
          premisesRecord('late'),
          premisesRecord('soon'),
          premisesRecord('failed'),
          premisesRecord('partly'),
        ],
        reviews: [
          reviewRecord('r1', 'late', { nextDue: '2026-05-01' }),
          reviewRecord('r2', 'soon', { nextDue: '2026-06-20' }),
          reviewRecord('r3', 'failed', { outcome: 'non-compliant' }),
          reviewRecord('r4', 'partly', { outcome: 'partially-compliant' }),
        ],
        actions: [actionRecord('a1', { dueOn: '2026-06-01' })],
      });
      const flags = computeFlags(db, AS_OF);
      expect(rules(flags)).to.have.members([
        'review-overdue',
        'review-overdue',
        'review-due-soon',
        'non-compliant',
        'partially-compliant',
        'action-overdue',
      ]);
      for (const flag of flags) {
        expect(Object.keys(flag).sort()).to.deep.equal(['dueOn', 'message', 'rule', 'severity', 'subject']);
        expect(Object.keys(flag.subject).sort()).to.deep.equal(['id', 'name', 'ref', 'type']);
        expect(flag.severity).to.be.oneOf(['critical', 'high', 'medium', 'low']);
        expect(flag.dueOn === null || /^\d{4}-\d{2}-\d{2}$/.test(flag.dueOn)).to.equal(true);
        expect(flag.message).to.be.a('string').and.not.equal('');
        expect(JSON.parse(JSON.stringify(flag))).to.deep.equal(flag);
      }
    });

    it('when flags are listed, then the most severe come first, then the earliest due', () => {
      const db = data({
        premises: [premisesRecord('late'), premisesRecord('soon'), premisesRecord('never')],
        reviews: [
          reviewRecord('r1', 'late', { nextDue: '2026-05-01' }),
          reviewRecord('r2', 'soon', { nextDue: '2026-06-20' }),
        ],
        actions: [actionRecord('a1', { dueOn: '2026-06-01' })],
      });
      expect(computeFlags(db, AS_OF).map((f) => [f.severity, f.dueOn])).to.deep.equal([
        ['high', null],
        ['high', '2026-05-01'],
        ['medium', '2026-06-01'],
        ['low', '2026-06-20'],
      ]);
    });
  });
});
