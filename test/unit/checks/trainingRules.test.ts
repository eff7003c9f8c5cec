import { expect } from 'chai';
import {
  departmentTraining,
  isBelowTarget,
  sessionsDelivered,
  sharePercent,
  trainingInDate,
} from '../../../checks/trainingRules.js';
import { departmentRecord, sessionRecord, staffRecord } from '../../support/trainingRecords.js';

const AS_OF = '2026-06-15';

describe('Training rules', () => {
  it('when training was completed exactly 2 years before as-of, then it is still in date; a day more and it has lapsed', () => {
    expect(trainingInDate('2024-06-15', AS_OF)).to.equal(true);
    expect(trainingInDate('2024-06-14', AS_OF)).to.equal(false);
    expect(trainingInDate('2026-06-15', AS_OF)).to.equal(true);
    expect(trainingInDate('2026-06-16', AS_OF)).to.equal(false);
  });

  it('when a 29 February completion reaches its refresh, then it runs to 28 February two years on', () => {
    expect(trainingInDate('2024-02-29', '2026-02-28')).to.equal(true);
    expect(trainingInDate('2024-02-29', '2026-03-01')).to.equal(false);
  });

  it('when a person has several records, then they count once, in the department of their latest training', () => {
    const data = {
      departments: [departmentRecord('d1'), departmentRecord('d2')],
      trainingSessions: [],
      staffRecords: [
        staffRecord('s1', 'd1', 'E1', '2025-01-10'),
        staffRecord('s2', 'd1', 'e1', '2026-02-01', { trainingType: 'wrap' }), // same person, any case
        staffRecord('s3', 'd1', 'E2', '2025-05-01'),
        staffRecord('s4', 'd2', 'E2', '2026-03-01'), // E2 moved to d2
        staffRecord('s5', 'd2', 'E3', '2023-01-01'), // lapsed
        staffRecord('s6', 'd2', 'E4', '2026-07-01'), // after as-of: not yet
      ],
    };
    const [d1, d2] = departmentTraining(data, AS_OF);
    expect(d1).to.include({ trained: 1, required: 10, basis: 'staff-records', belowTarget: true });
    expect(d2).to.include({ trained: 1, basis: 'staff-records' });
  });

  it('when a department has no staff records, then attendees of its sessions in the last 2 years count, at most those required', () => {
    const data = {
      departments: [
        departmentRecord('d1', { staffRequiringTraining: 40 }),
        departmentRecord('d2', { staffRequiringTraining: 5 }),
      ],
      trainingSessions: [
        sessionRecord('t1', 'd1', { date: '2024-06-15', attendees: 20 }),
        sessionRecord('t2', 'd1', { date: '2024-06-14', attendees: 100 }), // lapsed
        sessionRecord('t3', 'd1', { date: '2026-06-15', attendees: 15 }),
        sessionRecord('t4', 'd1', { date: '2026-06-16', attendees: 100 }), // after as-of
        sessionRecord('t5', 'd2', { date: '2026-01-01', attendees: 9 }),
      ],
      staffRecords: [],
    };
    const [d1, d2] = departmentTraining(data, AS_OF);
    expect(d1).to.include({ trained: 35, basis: 'sessions', belowTarget: true });
    expect(d2).to.include({ trained: 5, belowTarget: false });
  });

  it('when the share is just under target, then it is below target (decided on the counts), though its per cent rounds half up', () => {
    expect(isBelowTarget(899, 1000, 90)).to.equal(true);
    expect(sharePercent(899, 1000)).to.equal(90);
    expect(sharePercent(894, 1000)).to.equal(89);
    expect(isBelowTarget(900, 1000, 90)).to.equal(false);
    expect(isBelowTarget(0, 0, 90)).to.equal(false);
    expect(sharePercent(0, 0)).to.equal(null);
    // Staff records may name more people than the department's count: the share stops at 100%.
    expect(sharePercent(12, 8)).to.equal(100);
  });

  it('when sessions are counted for a quarter, then both ends are included', () => {
    const counts = sessionsDelivered(
      [
        sessionRecord('a', 'd1', { date: '2026-04-01' }),
        sessionRecord('b', 'd1', { date: '2026-06-30' }),
        sessionRecord('c', 'd1', { date: '2026-03-31' }),
        sessionRecord('d', 'd2', { date: '2026-05-05' }),
      ],
      '2026-04-01',
      '2026-06-30',
    );
    expect(Object.fromEntries(counts)).to.deep.equal({ d1: 2, d2: 1 });
  });
});
