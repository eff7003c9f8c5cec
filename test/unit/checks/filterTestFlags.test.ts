import { expect } from 'chai';
import { actionsPutRightBy, failedTestAction } from '../../../checks/filterTestActions.js';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import { emptyDb } from '../../../data/dbSchema.js';
import type { FilterTest } from '../../../data/schemas/librarySchemas.js';
import { collectReminderItems } from '../../../jobs/reminderItems.js';
import { planReminders } from '../../../jobs/reminderPlan.js';
import { libraryRecord } from '../../support/libraryRecords.js';
import { actionRecord } from '../../support/records.js';

function filterTest(id: string, testedOn: string, overrides: Partial<FilterTest> = {}): FilterTest {
  return {
    id,
    version: 1,
    createdAt: `${testedOn}T10:00:00.000Z`,
    updatedAt: `${testedOn}T10:00:00.000Z`,
    libraryId: 'l1',
    testedOn,
    deviceOrNetwork: 'Public PC 3',
    categoriesTried: ['Extremism', 'Self-harm'],
    result: 'blocked',
    categoriesNotBlocked: [],
    notes: null,
    recordedBy: 'libraries@demo.test',
    ...overrides,
  };
}

const failed = (id: string, testedOn: string, overrides: Partial<FilterTest> = {}) =>
  filterTest(id, testedOn, { result: 'not-blocked', categoriesNotBlocked: ['Self-harm'], ...overrides });

function flagsOf(tests: FilterTest[], asOf: string, libraries = [libraryRecord('l1', { name: 'Central' })]) {
  const db = emptyDb();
  db.libraries.push(...libraries);
  db.filterTests.push(...tests);
  return computeFlags(db, asOf).filter((f) => f.rule === 'filter-test-failed');
}

describe('filter-test-failed', () => {
  it('when the latest test found something not blocked, then a high flag on the library, due that day, names what got through', () => {
    expect(flagsOf([filterTest('t1', '2026-03-01'), failed('t2', '2026-05-04')], '2026-05-10')).to.deep.equal(
      [
        {
          rule: 'filter-test-failed',
          severity: 'high',
          subject: { type: 'library', id: 'l1', ref: 'Central', name: 'Central' },
          dueOn: '2026-05-04',
          message: 'Filter test on 4 May 2026 (Public PC 3) found Self-harm not blocked',
        },
      ],
    );
  });

  it('when a later test passed, then no flag; as of a date before that test, the flag stands', () => {
    const tests = [failed('t1', '2026-05-04'), filterTest('t2', '2026-05-20')];
    expect(flagsOf(tests, '2026-05-20')).to.deep.equal([]);
    expect(flagsOf(tests, '2026-05-19')).to.have.length(1);
  });

  it('when a test fails again after a pass, then the flag is back; two tests the same day count in the order recorded', () => {
    expect(
      flagsOf(
        [failed('t1', '2026-05-04'), filterTest('t2', '2026-05-20'), failed('t3', '2026-06-01')],
        '2026-06-02',
      ),
    ).to.have.length(1);
    const sameDay = [
      failed('t1', '2026-05-04', { createdAt: '2026-05-04T09:00:00.000Z' }),
      filterTest('t2', '2026-05-04', { createdAt: '2026-05-04T15:00:00.000Z' }),
    ];
    expect(flagsOf(sameDay, '2026-05-04')).to.deep.equal([]);
    expect(
      flagsOf(
        sameDay.reverse().map((t, i) => ({ ...t, createdAt: `2026-05-04T1${i}:00:00.000Z` })),
        '2026-05-04',
      ),
    ).to.have.length(1);
  });

  it('when the library is closed, or a test predates the field and recorded no category, then no flag, or every category tried is named', () => {
    expect(
      flagsOf([failed('t1', '2026-05-04')], '2026-05-10', [libraryRecord('l1', { yearClosed: 2025 })]),
    ).to.deep.equal([]);
    const old = failed('t1', '2026-05-04', { categoriesNotBlocked: [] });
    expect(flagsOf([old], '2026-05-10')[0]?.message).to.match(/found Extremism, Self-harm not blocked$/);
  });

  it('when a failed test raises its action, then it names the category and is due a week later; a pass that tried that category again puts it right, one that did not leaves it', () => {
    expect(failedTestAction(failed('t1', '2026-05-04'))).to.deep.equal({
      description:
        'Get the filter to block Self-harm: not blocked in the filter test on 4 May 2026 (Public PC 3)',
      dueOn: '2026-05-11',
    });
    const tests = new Map([['t1', failed('t1', '2026-05-04')]]);
    const action = actionRecord('a1', { subjectType: 'library', subjectId: 'l1', filterTestId: 't1' });
    const other = actionRecord('a2', { subjectType: 'library', subjectId: 'l1' });
    const byId = (id: string) => tests.get(id);
    expect(actionsPutRightBy(filterTest('t2', '2026-05-20'), [action, other], byId)).to.deep.equal([action]);
    const notTried = filterTest('t3', '2026-05-20', { categoriesTried: ['Extremism'] });
    expect(actionsPutRightBy(notTried, [action], byId)).to.deep.equal([]);
    const earlier = filterTest('t4', '2026-05-01');
    expect(actionsPutRightBy(earlier, [action], byId)).to.deep.equal([]);
    expect(actionsPutRightBy(failed('t5', '2026-05-20'), [action], byId)).to.deep.equal([]);
  });

  it('when reminders are planned, then the failed test goes to the library’s manager and the coordinators at once', () => {
    const flags = flagsOf([failed('t1', '2026-05-04')], '2026-05-04');
    const items = collectReminderItems(flags, [], () => ({
      name: 'Central',
      ref: 'Central',
      href: '/libraries/l1',
      ownerEmails: ['libraries@demo.test'],
    }));
    const plans = planReminders({
      items,
      asOf: '2026-05-04',
      sent: { has: () => false },
      coordinators: ['coordinator@demo.test'],
      weeklySummary: null,
    });
    expect(plans.map((p) => p.to)).to.deep.equal(['coordinator@demo.test', 'libraries@demo.test']);
  });
});
