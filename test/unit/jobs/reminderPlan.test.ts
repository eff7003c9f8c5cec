import { itemAt } from '../../../data/itemAt.js';
import assert from 'node:assert/strict';
import { expect } from 'chai';
import {
  type DigestPlan,
  type ReminderItem,
  type SentReminders,
  type SummaryPlan,
  planReminders,
  recipientsOf,
  windowStage,
} from '../../../jobs/reminderPlan.js';

const AS_OF = '2026-03-04';

function item(
  key: string,
  dueOn: string | null,
  owners: string[] = ['fran@x.test'],
  area = 'Premises',
): ReminderItem {
  return {
    key,
    area,
    title: `Item ${key}`,
    details: [],
    dueOn,
    overdueUndated: false,
    href: `/x/${key}`,
    owners,
  };
}

const nothingSent: SentReminders = { has: () => false };
const sentSet = (keys: string[]): SentReminders => ({
  has: (itemKey, stage, to) => keys.includes(`${itemKey}|${stage}|${to}`),
});
const digests = (plans: ReturnType<typeof planReminders>) =>
  plans.filter((p): p is DigestPlan => p.kind === 'digest');
const keysOf = (p: DigestPlan) => p.reminders.map((r) => `${r.itemKey}|${r.stage}`).sort();

describe('reminder plan: windows', () => {
  it('when an item is due in 31, 30, 8, 7, 2, 1, 0 days or was due yesterday, then its stage follows the window', () => {
    const stage = (days: number) => {
      const d = new Date(Date.UTC(2026, 2, 4 + days)).toISOString().slice(0, 10);
      return windowStage({ dueOn: d, overdueUndated: false }, AS_OF);
    };
    expect([31, 30, 8, 7, 2, 1, 0, -1].map(stage)).to.deep.equal([
      null,
      'due-30',
      'due-30',
      'due-7',
      'due-7',
      'due-1',
      'due-1',
      'overdue',
    ]);
  });

  it('when an item has no date, then it is overdue only if marked so (never reviewed)', () => {
    expect(windowStage({ dueOn: null, overdueUndated: true }, AS_OF)).to.equal('overdue');
    expect(windowStage({ dueOn: null, overdueUndated: false }, AS_OF)).to.equal(null);
  });
});

describe('reminder plan: digests', () => {
  it('when several people own items, then each gets one digest with only their items, grouped by area', () => {
    const plans = planReminders({
      items: [
        item('a', '2026-03-05', ['fran@x.test']),
        item('b', '2026-03-20', ['fran@x.test'], 'Libraries'),
        item('c', '2026-03-01', ['lee@x.test']),
        item('d', '2026-06-01', ['lee@x.test']),
      ],
      asOf: AS_OF,
      sent: nothingSent,
      coordinators: ['casey@x.test'],
      weeklySummary: null,
    });
    expect(plans.map((p) => `${p.kind} ${p.to}`)).to.deep.equal(['digest fran@x.test', 'digest lee@x.test']);
    const [fran, lee] = digests(plans);
    assert.ok(fran !== undefined && lee !== undefined);
    expect(keysOf(fran)).to.deep.equal(['a|due-1', 'b|due-30']);
    expect(fran.sections.map((s) => s.area)).to.deep.equal(['Libraries', 'Premises']);
    expect(keysOf(lee)).to.deep.equal(['c|overdue']);
  });

  it('when an item has two owners, then both get it', () => {
    const plans = planReminders({
      items: [item('a', '2026-03-10', ['fran@x.test', 'sam@x.test'])],
      asOf: AS_OF,
      sent: nothingSent,
      coordinators: ['casey@x.test'],
      weeklySummary: null,
    });
    expect(plans.map((p) => p.to)).to.deep.equal(['fran@x.test', 'sam@x.test']);
  });

  it('when an item has no owner, then the coordinators get it', () => {
    const plans = planReminders({
      items: [item('a', '2026-03-10', [])],
      asOf: AS_OF,
      sent: nothingSent,
      coordinators: ['casey@x.test', 'cora@x.test'],
      weeklySummary: null,
    });
    expect(plans.map((p) => `${p.to} ${keysOf(p as DigestPlan)}`)).to.deep.equal([
      'casey@x.test a|due-7',
      'cora@x.test a|due-7',
    ]);
  });

  it('when a reminder for the item, stage and recipient was sent, then it is not planned again', () => {
    const items = [item('a', '2026-03-10'), item('b', '2026-03-20')];
    const plans = planReminders({
      items,
      asOf: AS_OF,
      sent: sentSet(['a|due-7|fran@x.test']),
      coordinators: [],
      weeklySummary: null,
    });
    expect(keysOf(itemAt(digests(plans), 0))).to.deep.equal(['b|due-30']);
    const none = planReminders({
      items,
      asOf: AS_OF,
      sent: sentSet(['a|due-7|fran@x.test', 'b|due-30|fran@x.test']),
      coordinators: [],
      weeklySummary: null,
    });
    expect(none).to.deep.equal([]);
  });

  it('when an item moves into a later window, then the new stage is planned although the earlier one was sent', () => {
    const plans = planReminders({
      items: [item('a', '2026-03-10')],
      asOf: AS_OF,
      sent: sentSet(['a|due-30|fran@x.test']),
      coordinators: [],
      weeklySummary: null,
    });
    expect(keysOf(itemAt(digests(plans), 0))).to.deep.equal(['a|due-7']);
  });
});

describe('reminder plan: escalation', () => {
  it('when an item is overdue by 15 days, then the coordinators get it as an escalation; at 14 days they do not', () => {
    const plans = planReminders({
      items: [item('late', '2026-02-17'), item('edge', '2026-02-18')],
      asOf: AS_OF,
      sent: nothingSent,
      coordinators: ['casey@x.test'],
      weeklySummary: null,
    });
    const byTo = Object.fromEntries(digests(plans).map((p) => [p.to, keysOf(p)]));
    expect(byTo).to.deep.equal({
      'casey@x.test': ['late|escalation'],
      'fran@x.test': ['edge|overdue', 'late|overdue'],
    });
    const casey = digests(plans).find((p) => p.to === 'casey@x.test')!;
    expect(casey.sections[0]?.entries[0]).to.include({ stage: 'escalation', escalated: true });
  });

  it('when a coordinator owns an item that is newly overdue by more than 14 days, then it is listed once and both stages are recorded', () => {
    const plans = planReminders({
      items: [item('a', '2026-02-01', [])],
      asOf: AS_OF,
      sent: nothingSent,
      coordinators: ['casey@x.test'],
      weeklySummary: null,
    });
    const casey = itemAt(digests(plans), 0);
    expect(casey.sections.flatMap((s) => s.entries)).to.have.length(1);
    expect(keysOf(casey)).to.deep.equal(['a|escalation', 'a|overdue']);
  });

  it('recipientsOf: the owners, plus the coordinators once escalated', () => {
    const coordinators = ['casey@x.test'];
    expect(recipientsOf(item('a', '2026-03-10'), AS_OF, coordinators)).to.deep.equal(['fran@x.test']);
    expect(recipientsOf(item('a', '2026-02-01'), AS_OF, coordinators)).to.deep.equal([
      'fran@x.test',
      'casey@x.test',
    ]);
  });
});

describe('reminder plan: weekly summary', () => {
  it('when a weekly summary is due, then each coordinator gets one listing every item in a window, with escalations marked', () => {
    const plans = planReminders({
      items: [item('a', '2026-03-10'), item('b', '2026-02-01'), item('far', '2026-09-01')],
      asOf: AS_OF,
      sent: sentSet(['a|due-7|fran@x.test', 'b|overdue|fran@x.test', 'b|escalation|casey@x.test']),
      coordinators: ['casey@x.test', 'cora@x.test'],
      weeklySummary: { key: 'weekly-summary:2026-03-02' },
    });
    const summaries = plans.filter((p): p is SummaryPlan => p.kind === 'weekly-summary');
    expect(summaries.map((s) => s.to)).to.deep.equal(['casey@x.test', 'cora@x.test']);
    const entries = itemAt(summaries, 0).sections.flatMap((s) => s.entries);
    expect(entries.map((e) => `${e.item.key} ${e.stage}`)).to.deep.equal(['b escalation', 'a due-7']);
    expect(summaries[0]?.reminders).to.deep.equal([
      { itemKey: 'weekly-summary:2026-03-02', stage: 'weekly', title: 'Weekly summary' },
    ]);
  });

  it('when this week’s summary was sent to a coordinator, then it is not planned for them again', () => {
    const plans = planReminders({
      items: [],
      asOf: AS_OF,
      sent: sentSet(['weekly-summary:2026-03-02|weekly|casey@x.test']),
      coordinators: ['casey@x.test', 'cora@x.test'],
      weeklySummary: { key: 'weekly-summary:2026-03-02' },
    });
    expect(plans.map((p) => `${p.kind} ${p.to}`)).to.deep.equal(['weekly-summary cora@x.test']);
  });
});
