import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import { emptyDb } from '../../../data/dbSchema.js';
import { reviewRecord } from '../../support/records.js';
import {
  activityRecord,
  departmentRecord,
  headingRecord,
  planRecord,
  sessionRecord,
} from '../../support/trainingRecords.js';

const AS_OF = '2026-06-15';

function planReview(completedOn: string, nextDue: string) {
  return reviewRecord(`r-${completedOn}`, 'plan', {
    templateId: 'action-plan-review',
    subjectType: 'plan',
    completedOn,
    nextDue,
  });
}

describe('Flags for training and the action plan', () => {
  it('when a department is below its target, then training-below-target (medium) names it by its name', () => {
    const db = emptyDb();
    db.departments.push(
      departmentRecord('d1', { name: 'Leisure and Venues', staffRequiringTraining: 30 }),
      departmentRecord('d2', { name: 'Housing', staffRequiringTraining: 10 }),
      departmentRecord('d3', { name: 'Nobody needs it', staffRequiringTraining: 0 }),
      departmentRecord('d4', { name: 'Low target', staffRequiringTraining: 10, targetPercent: 50 }),
    );
    db.trainingSessions.push(
      sessionRecord('s1', 'd1', { attendees: 9 }),
      sessionRecord('s2', 'd2', { attendees: 9 }),
      sessionRecord('s3', 'd4', { attendees: 5 }),
    );
    expect(computeFlags(db, AS_OF)).to.deep.equal([
      {
        rule: 'training-below-target',
        severity: 'medium',
        subject: { type: 'department', id: 'd1', ref: 'Leisure and Venues', name: 'Leisure and Venues' },
        dueOn: null,
        message: '9 of 30 staff trained (30%), below the 90% target',
      },
    ]);
  });

  it('when a share rounds half up to the target but is below it, then the message says "just under"', () => {
    const db = emptyDb();
    db.departments.push(departmentRecord('d1', { name: 'Housing', staffRequiringTraining: 200 }));
    db.trainingSessions.push(sessionRecord('s1', 'd1', { attendees: 179 }));
    expect(computeFlags(db, AS_OF).map((f) => f.message)).to.deep.equal([
      '179 of 200 staff trained (just under 90%), below the 90% target',
    ]);
  });

  it('when no action plan is set up, then there are no plan flags', () => {
    expect(computeFlags(emptyDb(), AS_OF)).to.deep.equal([]);
  });

  it('when the plan has never been reviewed, then review-overdue with subject type plan and the title as ref', () => {
    const db = emptyDb();
    db.actionPlans.push(planRecord());
    expect(computeFlags(db, AS_OF)).to.deep.equal([
      {
        rule: 'review-overdue',
        severity: 'high',
        subject: {
          type: 'plan',
          id: 'plan',
          ref: 'Borough Prevent action plan',
          name: 'Borough Prevent action plan',
        },
        dueOn: null,
        message: 'No action plan review on record',
      },
    ]);
  });

  it('when the quarterly review is due within 30 days, then review-due-soon; once past, review-overdue', () => {
    const db = emptyDb();
    db.actionPlans.push(planRecord());
    db.reviews.push(planReview('2026-03-20', '2026-06-20'));
    expect(computeFlags(db, AS_OF).map((f) => [f.rule, f.subject.type, f.dueOn])).to.deep.equal([
      ['review-due-soon', 'plan', '2026-06-20'],
    ]);
    expect(computeFlags(db, '2026-06-21').map((f) => [f.rule, f.dueOn, f.message])).to.deep.equal([
      ['review-overdue', '2026-06-20', 'Action plan review overdue since 20 June 2026'],
    ]);
  });

  it('when an activity is not complete after its due date, then action-overdue with subject type action, ref = its id', () => {
    const db = emptyDb();
    db.actionPlans.push(planRecord());
    db.reviews.push(planReview('2026-05-01', '2026-08-01'));
    db.planHeadings.push(headingRecord('h1', 'Channel panel processes'));
    db.planActivities.push(
      activityRecord('late', 'h1', { description: 'Renew the ISA', dueOn: '2026-06-14', rag: 'amber' }),
      activityRecord('due-today', 'h1', { dueOn: AS_OF, rag: 'red' }),
      activityRecord('done', 'h1', { dueOn: '2026-01-01', rag: 'complete', completedOn: '2026-01-02' }),
      activityRecord('done-later', 'h1', { dueOn: '2026-06-01', rag: 'complete', completedOn: '2026-06-20' }),
    );
    expect(computeFlags(db, AS_OF)).to.deep.equal([
      {
        rule: 'action-overdue',
        severity: 'medium',
        subject: { type: 'action', id: 'done-later', ref: 'done-later', name: 'Activity done-later' },
        dueOn: '2026-06-01',
        message: 'Action plan activity overdue since 1 June 2026',
      },
      {
        rule: 'action-overdue',
        severity: 'medium',
        subject: { type: 'action', id: 'late', ref: 'late', name: 'Renew the ISA' },
        dueOn: '2026-06-14',
        message: 'Action plan activity overdue since 14 June 2026',
      },
    ]);
    // As of today's data, "done-later" was completed on 20 June: not late from then on.
    expect(computeFlags(db, '2026-06-20').map((f) => f.subject.id)).to.deep.equal(['late', 'due-today']);
  });
});
