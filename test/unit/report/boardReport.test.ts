import { expect } from 'chai';
import { buildBoardReport } from '../../../checks/report/boardReport.js';
import {
  type ComplianceMeasure,
  BOARD_MEASURES,
  createMeasureRegistry,
} from '../../../checks/report/complianceMeasures.js';
import { parsePeriod, periodOf, previousPeriod, recentPeriods } from '../../../checks/report/reportPeriod.js';
import { emptyDb } from '../../../data/dbSchema.js';
import { smallBorough } from '../../support/reportFixture.js';

const TODAY = '2026-06-15';
const Q2 = parsePeriod('2026-Q2')!;

describe('Board report', () => {
  describe('quarters', () => {
    it('when a quarter is named, then its first and last days are known, and the previous one crosses the year', () => {
      expect(parsePeriod('2026-Q1')).to.deep.equal({
        id: '2026-Q1',
        start: '2026-01-01',
        end: '2026-03-31',
        label: 'January to March 2026',
      });
      expect(parsePeriod('2024-q4')).to.include({ id: '2024-Q4', end: '2024-12-31' });
      expect(previousPeriod(parsePeriod('2026-Q1')!).id).to.equal('2025-Q4');
      expect(periodOf('2026-06-30').id).to.equal('2026-Q2');
      expect(recentPeriods('2026-02-01', 3).map((p) => p.id)).to.deep.equal([
        '2026-Q1',
        '2025-Q4',
        '2025-Q3',
      ]);
      for (const bad of ['2026-Q5', '2026Q1', 'Q1-2026', '', '2026-Q1x'])
        expect(parsePeriod(bad), bad).to.equal(null);
    });
  });

  describe('figures worked out by hand', () => {
    const report = buildBoardReport(smallBorough(), Q2, TODAY);

    it('when the quarter is still running, then figures are as of today and the previous quarter as of its end', () => {
      expect(report.asOf).to.equal('2026-06-15');
      expect(report.previousAsOf).to.equal('2026-03-31');
      expect(report.previousPeriod.id).to.equal('2026-Q1');
    });

    it('when premises are counted, then audited and in date is 3 of 5 now (A, E, F) against 2 of 5 (A, B) on 31 March', () => {
      const premises = report.compliance.find((c) => c.id === 'premises-audited')!;
      expect(premises).to.deep.equal({
        id: 'premises-audited',
        area: 'Premises',
        label: 'Premises audited and in date',
        current: { met: 3, total: 5, percent: 60 },
        previous: { met: 2, total: 5, percent: 40 },
        change: 20,
      });
    });

    it('when an area has nothing in scope, then its line shows no data', () => {
      expect(report.compliance.map((c) => [c.area, c.current, c.change])).to.deep.equal([
        ['Premises', { met: 3, total: 5, percent: 60 }, 20],
        ['Hall hire', null, null],
        ['Libraries', null, null],
        ['Schools', null, null],
      ]);
    });

    it('when training is counted, then Housing 40 (41 attended, capped), Leisure 9, Community Safety 2 (E1, E3), sessions this quarter only', () => {
      expect(
        report.training.lines.map((t) => [
          t.department,
          t.required,
          t.trained,
          t.sessions,
          t.percent,
          t.belowTarget,
          t.basis,
        ]),
      ).to.deep.equal([
        ['Community Safety', 4, 2, 0, 50, true, 'staff-records'],
        ['Housing', 40, 40, 2, 100, false, 'sessions'],
        ['Leisure', 30, 9, 1, 30, true, 'sessions'],
      ]);
      // 51 of 74 = 68.9%, rounded half up.
      expect(report.training.totals).to.deep.equal({ required: 74, trained: 51, percent: 69, sessions: 3 });
    });

    it('when the plan is summarised, then one activity in each RAG status and two late, earliest first', () => {
      const plan = report.plan!;
      expect(plan.rag).to.deep.equal({ red: 1, amber: 1, green: 1, complete: 1 });
      expect(plan.total).to.equal(4);
      expect(plan.late).to.deep.equal([
        {
          id: 'a2',
          heading: 'Channel panel processes',
          description: 'Renew the ISA',
          owner: 'Channel Panel Chair',
          dueOn: '2026-06-01',
        },
        {
          id: 'a3',
          heading: 'Governance and problem solving',
          description: 'Agree terms of reference',
          owner: 'Community Safety Manager',
          dueOn: '2026-06-14',
        },
      ]);
      expect(plan).to.include({
        lastReviewOn: '2026-04-01',
        nextReviewDue: '2026-07-01',
        reviewState: 'due-soon',
      });
    });

    it('when flags are counted by rule and area, then 8 in all, review actions under their subject and activities under the plan', () => {
      expect(report.outstanding.rules.map((r) => [r.rule, r.counts, r.total])).to.deep.equal([
        ['review-overdue', { premises: 2 }, 2],
        ['review-due-soon', { plan: 1 }, 1],
        ['action-overdue', { premises: 1, plan: 2 }, 3],
        ['training-below-target', { department: 2 }, 2],
      ]);
      expect(report.outstanding.total).to.equal(8);
      expect(report.outstanding.areas.map((a) => a.label)).to.deep.equal([
        'Premises',
        'Hall hire',
        'Libraries',
        'Schools',
        'Training',
        'Action plan',
      ]);
    });

    it('when a past quarter is reported, then its figures are as of its last day', () => {
      const q1 = buildBoardReport(smallBorough(), parsePeriod('2026-Q1')!, TODAY);
      expect(q1.asOf).to.equal('2026-03-31');
      expect(q1.compliance[0]?.current).to.deep.equal({ met: 2, total: 5, percent: 40 });
      // Q4 2025 as of 31 December: A (due May 2026), B (due May 2026) and F (due March 2026) in date.
      expect(q1.compliance[0]?.previous).to.deep.equal({ met: 3, total: 5, percent: 60 });
      expect(q1.compliance[0]?.change).to.equal(-20);
      // a4 was completed on 1 May, after the quarter: then it was still open (counted amber), and not yet late.
      expect(q1.plan!.rag).to.deep.equal({ red: 1, amber: 2, green: 1, complete: 0 });
      expect(q1.plan!.late).to.deep.equal([]);
      // On 31 March: C, E (not yet audited) and F overdue, no plan review yet on record; B's action not yet
      // due; Housing 20 of 40, Leisure 0 of 30, Community Safety 2 of 4 (E3's newer training came later).
      expect(q1.outstanding.rules.map((r) => [r.rule, r.counts])).to.deep.equal([
        ['review-overdue', { premises: 3, plan: 1 }],
        ['training-below-target', { department: 3 }],
      ]);
    });
  });

  describe('the registry of compliance measures', () => {
    it('when the board measures are read, then the four areas are there in order', () => {
      expect(BOARD_MEASURES.map((m) => m.id)).to.deep.equal([
        'premises-audited',
        'bookings-checked',
        'libraries-attested',
        'schools-trained-lead',
      ]);
    });

    it('when two registries are built from the board measures, then each lists them in order and a registration in one leaves the other and the board list as they were', () => {
      const one = createMeasureRegistry(BOARD_MEASURES);
      const two = createMeasureRegistry(BOARD_MEASURES);
      one.register({ id: 'extra', area: 'Extra', label: 'Extra', compute: () => null });
      expect(one.list().map((m) => m.id)).to.deep.equal([...BOARD_MEASURES.map((m) => m.id), 'extra']);
      expect(two.list()).to.deep.equal(BOARD_MEASURES);
      expect(BOARD_MEASURES).to.have.length(4);
    });

    it('when a measure is registered under an existing id, then it replaces that line in place; a new id is added at the end', () => {
      const registry = createMeasureRegistry();
      const counting = (id: string, area: string, met: number, total: number): ComplianceMeasure => ({
        id,
        area,
        label: `${area} measure`,
        compute: () => ({ met, total }),
      });
      registry.register(counting('one', 'First', 0, 0));
      registry.register(counting('two', 'Second', 1, 2));
      registry.register(counting('one', 'First again', 3, 4));
      registry.register({ id: 'three', area: 'Third', label: 'Not built', compute: () => null });
      const report = buildBoardReport(emptyDb(), Q2, TODAY, registry.list());
      expect(report.compliance.map((c) => [c.id, c.area, c.current?.percent ?? null])).to.deep.equal([
        ['one', 'First again', 75],
        ['two', 'Second', 50],
        ['three', 'Third', null],
      ]);
    });

    it('when a measure is computed, then it gets the period and the as-of date of each quarter', () => {
      const seen: unknown[] = [];
      buildBoardReport(emptyDb(), Q2, TODAY, [
        {
          id: 'spy',
          area: 'Spy',
          label: 'Spy',
          compute: (_data, ctx) => {
            seen.push(ctx);
            return null;
          },
        },
      ]);
      expect(seen).to.deep.equal([
        { periodStart: '2026-04-01', periodEnd: '2026-06-30', asOf: '2026-06-15' },
        { periodStart: '2026-01-01', periodEnd: '2026-03-31', asOf: '2026-03-31' },
      ]);
    });
  });
});
