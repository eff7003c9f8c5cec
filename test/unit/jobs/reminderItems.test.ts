import { expect } from 'chai';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import type { Action } from '../../../data/schemas/reviewSchemas.js';
import { type DescribeSubject, collectReminderItems } from '../../../jobs/reminderItems.js';

const STAMP = '2026-01-05T09:00:00.000Z';

function flag(over: Partial<Flag> & Pick<Flag, 'rule' | 'dueOn'>): Flag {
  return {
    severity: 'high',
    subject: { type: 'premises', id: 'p1', ref: 'NB-001', name: 'Town Hall' },
    message: over.rule,
    ...over,
  };
}

function action(id: string, over: Partial<Action> = {}): Action {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    subjectType: 'premises',
    subjectId: 'p1',
    reviewId: 'r1',
    questionId: 'P7',
    description: `Action ${id}`,
    ownerEmail: null,
    dueOn: '2026-03-10',
    status: 'open',
    closedAt: null,
    closedBy: null,
    closingNote: null,
    ...over,
  };
}

const describe_: DescribeSubject = (type, id) =>
  type === 'premises' && id === 'p1'
    ? { name: 'Town Hall', ref: 'NB-001', href: '/premises/p1', ownerEmails: ['Site.Manager@x.test'] }
    : type === 'premises' && id === 'p2'
      ? { name: 'Annexe', ref: 'NB-002', href: '/premises/p2', ownerEmails: [] }
      : undefined;

describe('reminder items from flags and actions', () => {
  it('when a subject has two flags with the same due date, then they are one item with both messages', () => {
    const items = collectReminderItems(
      [
        flag({ rule: 'review-overdue', dueOn: '2026-02-01', message: 'Premises audit overdue' }),
        flag({ rule: 'non-compliant', dueOn: '2026-02-01', message: 'Found critical items' }),
      ],
      [],
      describe_,
    );
    expect(items).to.have.length(1);
    expect(items[0]).to.deep.include({
      key: 'premises:p1:2026-02-01',
      area: 'Premises',
      title: 'Town Hall (NB-001)',
      details: ['Premises audit overdue', 'Found critical items'],
      href: '/premises/p1',
      owners: ['site.manager@x.test'],
    });
  });

  it('when a flag has no due date, then it is an item only if its rule is an overdue rule', () => {
    const items = collectReminderItems(
      [
        flag({ rule: 'review-overdue', dueOn: null }),
        flag({
          rule: 'booking-watchlist-match',
          dueOn: null,
          subject: { type: 'booking', id: 'b1', ref: 'B1', name: 'B' },
        }),
      ],
      [],
      describe_,
    );
    expect(items.map((i) => [i.key, i.overdueUndated])).to.deep.equal([['premises:p1:undated', true]]);
  });

  it('when an action is open, then it is an item for its owner, else for the owners of its subject', () => {
    const items = collectReminderItems(
      [],
      [
        action('a1', { ownerEmail: 'Owner@x.test' }),
        action('a2'),
        action('a3', { subjectId: 'p2' }),
        action('a4', { status: 'closed' }),
      ],
      describe_,
    );
    expect(items.map((i) => [i.key, i.owners])).to.deep.equal([
      ['action:a1:2026-03-10', ['owner@x.test']],
      ['action:a2:2026-03-10', ['site.manager@x.test']],
      ['action:a3:2026-03-10', []],
    ]);
    expect(items[0]).to.include({
      title: 'Action a1 — Town Hall (NB-001)',
      href: '/reviews/r1',
      area: 'Premises',
    });
  });

  it('when an overdue action also has its flag, then it is one item carrying the flag message', () => {
    const items = collectReminderItems(
      [
        flag({
          rule: 'action-overdue',
          dueOn: '2026-03-01',
          message: 'Action overdue since 1 March 2026',
          subject: { type: 'action', id: 'a1', ref: 'a1', name: 'Action a1' },
        }),
      ],
      [action('a1', { dueOn: '2026-03-01' })],
      describe_,
    );
    expect(items).to.have.length(1);
    expect(items[0]).to.include({ key: 'action:a1:2026-03-01' });
    expect(items[0]?.details).to.deep.equal(['Action overdue since 1 March 2026']);
  });

  it('when an owner’s account is deactivated, then that address is dropped (the coordinators hear instead)', () => {
    const items = collectReminderItems(
      [flag({ rule: 'review-due-soon', dueOn: '2026-03-20' })],
      [],
      describe_,
      (email) => email === 'site.manager@x.test',
    );
    expect(items[0]?.owners).to.deep.equal([]);
  });

  it('when the subject kind is not registered, then the flag’s own name and ref are used and nobody owns it', () => {
    const items = collectReminderItems(
      [
        flag({
          rule: 'review-due-soon',
          dueOn: '2026-03-20',
          subject: { type: 'school', id: 's1', ref: '100001', name: 'Hill School' },
        }),
      ],
      [],
      describe_,
    );
    expect(items[0]).to.deep.include({
      title: 'Hill School (100001)',
      area: 'Schools',
      owners: [],
      href: null,
    });
  });
});

describe('reminder items: flags about actions that are not review actions', () => {
  it('when an action-plan activity is flagged, then it is an item described by the server, with its own owner and area', () => {
    const items = collectReminderItems(
      [
        flag({
          rule: 'action-overdue',
          dueOn: '2026-02-01',
          message: 'Action overdue since 1 February 2026',
          subject: { type: 'action', id: 'pa1', ref: 'pa1', name: 'Confirm the CTIRU list' },
        }),
      ],
      [],
      (type, id) =>
        type === 'action' && id === 'pa1'
          ? {
              name: 'Confirm the CTIRU list',
              ref: '',
              href: '/plan#activity-pa1',
              ownerEmails: ['It@x.test'],
              area: 'Action plan',
            }
          : undefined,
    );
    expect(items).to.deep.equal([
      {
        key: 'action:pa1:2026-02-01',
        area: 'Action plan',
        title: 'Confirm the CTIRU list',
        details: ['Action overdue since 1 February 2026'],
        dueOn: '2026-02-01',
        overdueUndated: false,
        href: '/plan#activity-pa1',
        owners: ['it@x.test'],
      },
    ]);
  });
});
