import { expect } from 'chai';
import {
  returnIsOpen,
  returnLinkOpens,
  returnProblems,
  returnProgress,
  returnReminderDue,
} from '../../../checks/returnRules.js';
import { getTemplate } from '../../../checks/templates/index.js';
import type { ReturnLead } from '../../../data/schemas/returnSchemas.js';

const template = getTemplate('school-audit');
const allYes = () => Object.fromEntries(template.questions.map((q) => [q.id, { answer: 'yes' as const }]));
const lead = (stillLead: boolean): ReturnLead => ({
  key: 'k',
  leadId: null,
  name: 'A Lead',
  role: 'dsl',
  email: 'a@school.example',
  phone: null,
  stillLead,
});
const draft = (over: Partial<Parameters<typeof returnProgress>[1]> = {}) => ({
  leads: null,
  training: [],
  trainingDone: false,
  answers: {},
  auditSaved: false,
  ...over,
});

describe('Return rules (checks/returnRules.ts)', () => {
  it('when the last day is more than 14 days away, then no reminder is due; from 14 days the 14-day one; from 3 days the 3-day one; none after the last day', () => {
    expect(returnReminderDue('2026-03-31', '2026-03-16')).to.equal(null);
    expect(returnReminderDue('2026-03-31', '2026-03-17')).to.equal('reminder-14');
    expect(returnReminderDue('2026-03-31', '2026-03-27')).to.equal('reminder-14');
    expect(returnReminderDue('2026-03-31', '2026-03-28')).to.equal('reminder-3');
    expect(returnReminderDue('2026-03-31', '2026-03-31')).to.equal('reminder-3');
    expect(returnReminderDue('2026-03-31', '2026-04-01')).to.equal(null);
  });

  it('when a link is ended, its return replaced or its last day passed, then it does not open', () => {
    const ret = { status: 'sent' as const, lastDay: '2026-03-31' };
    expect(returnLinkOpens(ret, { endedAt: null }, '2026-03-31')).to.equal(true);
    expect(returnLinkOpens(ret, { endedAt: null }, '2026-04-01')).to.equal(false);
    expect(returnLinkOpens(ret, { endedAt: '2026-03-02T10:00:00Z' }, '2026-03-03')).to.equal(false);
    expect(returnLinkOpens({ ...ret, status: 'ended' }, { endedAt: null }, '2026-03-03')).to.equal(false);
    expect(returnLinkOpens({ ...ret, status: 'submitted' }, { endedAt: null }, '2026-03-03')).to.equal(true);
    expect(returnIsOpen({ ...ret, status: 'submitted' }, '2026-03-03')).to.equal(false);
    expect(returnIsOpen(ret, '2026-03-03')).to.equal(true);
  });

  it('when tasks are done in turn, then the task list moves from not started to completed and check-answers opens last', () => {
    expect(returnProgress(template, draft())).to.deep.equal({
      leads: 'not-started',
      training: 'optional',
      audit: 'not-started',
      check: 'cannot-start',
    });
    const half = { S1: { answer: 'yes' as const } };
    expect(
      returnProgress(template, draft({ leads: [lead(true)], answers: half, auditSaved: true })),
    ).to.include({
      leads: 'completed',
      audit: 'in-progress',
      check: 'cannot-start',
    });
    expect(
      returnProgress(
        template,
        draft({ leads: [lead(true)], answers: allYes(), auditSaved: true, trainingDone: true }),
      ),
    ).to.deep.equal({
      leads: 'completed',
      training: 'completed',
      audit: 'completed',
      check: 'not-started',
    });
  });

  it('when no one is still lead or questions are unanswered, then submitting is refused naming the task', () => {
    expect(returnProblems(template, draft()).map((p) => p.task)).to.deep.equal(['leads', 'audit']);
    expect(returnProblems(template, draft({ leads: [lead(false)], answers: allYes() }))[0]!.text).to.include(
      'at least one person',
    );
    expect(returnProblems(template, draft({ leads: [lead(true)], answers: allYes() }))).to.deep.equal([]);
  });
});
