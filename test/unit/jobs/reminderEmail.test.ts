import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { MAX_PER_AREA, renderEmail } from '../../../jobs/reminderEmail.js';
import { type ReminderItem, planReminders } from '../../../jobs/reminderPlan.js';

const item = (key: string, dueOn: string, title: string, owners: string[]): ReminderItem => ({
  key,
  area: 'Premises',
  title,
  details: ['Premises audit due'],
  dueOn,
  overdueUndated: false,
  href: `/premises/${key}`,
  owners,
});

describe('reminder email', () => {
  const plan = itemAt(
    planReminders({
      items: [item('p1', '2026-03-10', 'Town Hall <Main> & Annexe', ['fran@x.test'])],
      asOf: '2026-03-04',
      sent: { has: () => false },
      coordinators: [],
      weeklySummary: null,
    }),
    0,
  );

  it('when a digest is rendered, then text and HTML both list the item with its date and a BASE_URL link', () => {
    const email = renderEmail(plan, { baseUrl: 'https://dueregard.example.gov.uk', asOf: '2026-03-04' });
    expect(email.subject).to.equal('Due Regard reminder: 1 due soon');
    expect(email.text).to.include('Town Hall <Main> & Annexe');
    expect(email.text).to.include('Due 10 March 2026 (in 6 days)');
    expect(email.text).to.include('https://dueregard.example.gov.uk/premises/p1');
    expect(email.html).to.include('<a href="https://dueregard.example.gov.uk/premises/p1"');
    expect(email.html).to.include('Town Hall &lt;Main&gt; &amp; Annexe');
    expect(email.html).not.to.include('<Main>');
  });

  it('when the same plan is rendered twice, then the Message-ID is the same; another recipient gets another', () => {
    const a = renderEmail(plan, { baseUrl: 'https://dueregard.example.gov.uk', asOf: '2026-03-04' });
    const b = renderEmail(plan, { baseUrl: 'https://dueregard.example.gov.uk', asOf: '2026-03-04' });
    const c = renderEmail(
      { ...plan, to: 'sam@x.test' },
      { baseUrl: 'https://dueregard.example.gov.uk', asOf: '2026-03-04' },
    );
    expect(a.messageId)
      .to.equal(b.messageId)
      .and.match(/^<[0-9a-f]{40}@dueregard\.example\.gov\.uk>$/);
    expect(c.messageId).not.to.equal(a.messageId);
  });

  it('when an area has more items than one email should list, then the rest are counted with a link to the dashboard', () => {
    const many = Array.from({ length: MAX_PER_AREA + 3 }, (_, i) =>
      item(`p${i}`, '2026-03-10', `Building ${String(i).padStart(3, '0')}`, ['fran@x.test']),
    );
    const big = itemAt(
      planReminders({
        items: many,
        asOf: '2026-03-04',
        sent: { has: () => false },
        coordinators: [],
        weeklySummary: null,
      }),
      0,
    );
    const email = renderEmail(big, { baseUrl: 'https://dueregard.example.gov.uk', asOf: '2026-03-04' });
    expect(email.text).to.include('Building 099');
    expect(email.text).not.to.include('Building 100');
    expect(email.text).to.include(
      '…and 3 more items in Premises: see the dashboard, https://dueregard.example.gov.uk/',
    );
    expect(big.reminders).to.have.length(MAX_PER_AREA + 3);
  });
});
