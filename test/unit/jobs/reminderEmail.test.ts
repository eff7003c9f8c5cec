import { expect } from 'chai';
import { renderEmail } from '../../../jobs/reminderEmail.js';
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
  const [plan] = planReminders({
    items: [item('p1', '2026-03-10', 'Town Hall <Main> & Annexe', ['fran@x.test'])],
    asOf: '2026-03-04',
    sent: { has: () => false },
    coordinators: [],
    weeklySummary: null,
  });

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
});
