import { emptyDb } from '../../data/dbSchema.js';
import { actionRecord, premisesRecord, reviewRecord } from './records.js';
import {
  activityRecord,
  departmentRecord,
  headingRecord,
  planRecord,
  sessionRecord,
  staffRecord,
} from './trainingRecords.js';

/**
 * A small borough whose figures are worked out by hand below. Report: 2026-Q2 (1 April – 30 June) as of
 * 15 June 2026; the previous quarter as of 31 March 2026.
 */
export function smallBorough() {
  const db = emptyDb();
  const audit = (id: string, premisesId: string, completedOn: string, nextDue: string) =>
    reviewRecord(id, premisesId, { completedOn, nextDue, submittedAt: `${completedOn}T10:00:00.000Z` });
  db.premises.push(
    premisesRecord('p1', { ref: 'A', risk: 'low' }),
    premisesRecord('p2', { ref: 'B', risk: 'high' }),
    premisesRecord('p3', { ref: 'C' }),
    premisesRecord('p4', { ref: 'D', archived: true }),
    premisesRecord('p5', { ref: 'E', risk: 'medium' }),
    premisesRecord('p6', { ref: 'F', risk: 'low' }),
  );
  db.reviews.push(
    // A: due 1 May 2026 (in date on 31 March), audited again 20 May (in date on 15 June).
    audit('r1', 'p1', '2025-05-01', '2026-05-01'),
    audit('r2', 'p1', '2026-05-20', '2027-05-20'),
    // B: high risk, so due 6 months after 1 November 2025 = 1 May 2026, not the 12 months stored.
    audit('r3', 'p2', '2025-11-01', '2026-11-01'),
    // C: never audited. D: archived, left out. E: first audited 10 April 2026.
    audit('r4', 'p5', '2026-04-10', '2027-04-10'),
    // F: lapsed on 1 March 2026, audited again on 1 June.
    audit('r5', 'p6', '2025-03-01', '2026-03-01'),
    audit('r6', 'p6', '2026-06-01', '2027-06-01'),
    // The plan's last quarterly review: next due 1 July 2026, within 30 days of 15 June.
    reviewRecord('r7', 'plan', {
      templateId: 'action-plan-review',
      subjectType: 'plan',
      completedOn: '2026-04-01',
      nextDue: '2026-07-01',
    }),
  );
  db.actions.push(
    actionRecord('x1', { subjectType: 'premises', subjectId: 'p2', reviewId: 'r3', dueOn: '2026-06-01' }),
    actionRecord('x2', { subjectType: 'premises', subjectId: 'p2', reviewId: 'r3', status: 'closed' }),
  );

  db.departments.push(
    departmentRecord('d1', { name: 'Housing', staffRequiringTraining: 40 }),
    departmentRecord('d2', { name: 'Leisure', staffRequiringTraining: 30 }),
    departmentRecord('d3', { name: 'Community Safety', staffRequiringTraining: 4, targetPercent: 75 }),
  );
  db.trainingSessions.push(
    sessionRecord('t1', 'd1', { date: '2025-01-10', attendees: 20 }),
    sessionRecord('t2', 'd1', { date: '2026-05-02', attendees: 15 }),
    sessionRecord('t3', 'd1', { date: '2026-06-10', attendees: 6 }),
    sessionRecord('t4', 'd2', { date: '2024-01-01', attendees: 20 }),
    sessionRecord('t5', 'd2', { date: '2026-04-20', attendees: 9 }),
    sessionRecord('t6', 'd3', { date: '2026-03-31', attendees: 3 }),
  );
  db.staffRecords.push(
    staffRecord('s1', 'd3', 'E1', '2025-01-01'),
    staffRecord('s2', 'd3', 'E2', '2024-06-01'),
    staffRecord('s3', 'd3', 'E3', '2026-06-01'),
    staffRecord('s4', 'd3', 'E3', '2024-01-01', { trainingType: 'wrap' }),
  );

  db.actionPlans.push(planRecord({ title: 'Borough Prevent action plan' }));
  db.planHeadings.push(
    headingRecord('h1', 'Governance and problem solving', 0),
    headingRecord('h2', 'Channel panel processes', 1),
  );
  db.planActivities.push(
    activityRecord('a1', 'h1', { rag: 'red', dueOn: '2026-07-01' }),
    activityRecord('a2', 'h2', {
      rag: 'amber',
      dueOn: '2026-06-01',
      description: 'Renew the ISA',
      owner: 'Channel Panel Chair',
    }),
    activityRecord('a3', 'h1', {
      rag: 'green',
      dueOn: '2026-06-14',
      description: 'Agree terms of reference',
    }),
    activityRecord('a4', 'h2', { rag: 'complete', dueOn: '2026-04-30', completedOn: '2026-05-01' }),
  );
  return db;
}
