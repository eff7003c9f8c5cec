import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** The rows of the My actions table: [due, what, what is needed, area, status], and each title's link. */
function itemsOn(html: string): { cells: string[]; href: string | null }[] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => {
    const cells = [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1] ?? '');
    return {
      cells: cells.map((c) =>
        c
          .replace(/<br>/g, ' | ')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
      href: /href="([^"]+)"/.exec(cells[1] ?? '')?.[1] ?? null,
    };
  });
}

/** "Now" first, then by date: what "soonest first" means for the Due column. */
const dueOrder = (due: string) => (due === 'Now' ? 0 : Date.parse(due));

describe('HTTP: My actions, everything the signed-in person owns that is open, across areas', () => {
  let t: TestApp;
  let today: string;
  const agents: Record<string, TestAgent> = {};

  before(async () => {
    t = await startTestApp();
    today = londonDate(t.store.now());
    for (const role of ['coordinator', 'facilities', 'libraries', 'education', 'viewer'])
      agents[role] = await t.signIn(`${role}@demo.test`);
  });
  after(() => t.close());
  const as = (role: string) => {
    const a = agents[role];
    if (!a) throw new Error(`no agent for ${role}`);
    return a;
  };

  it('when each role opens it, then it answers and the navigation offers it to every role', async () => {
    for (const role of Object.keys(agents)) {
      const res = await as(role).get('/my-actions');
      expect(res.status, role).to.equal(200);
      expect(res.text, role).to.include('<h1 class="govuk-heading-l">My actions</h1>');
      expect(res.text, role).to.match(/href="\/my-actions"[^>]*>\s*(<strong[^>]*>)?My actions/);
    }
  });

  it('when the facilities officer opens it, then their premises reviews, actions and bookings show, soonest first, and nobody else’s', async () => {
    const res = await as('facilities').get('/my-actions');
    const items = itemsOn(res.text);
    expect(items.length).to.be.greaterThan(3);
    const areas = new Set(items.map((i) => i.cells[3]));
    expect([...areas].sort()).to.deep.equal(['Hall hire', 'Premises']);
    const due = items.map((i) => dueOrder(i.cells[0] ?? ''));
    expect(due).to.deep.equal([...due].sort((a, b) => a - b));
    // A booking they are the officer for that awaits a decision, with its link.
    const officer = t.store
      .list('bookings')
      .find(
        (b) =>
          b.bookingOfficerEmail === 'facilities@demo.test' &&
          (b.status === 'provisional' || b.status === 'checks-complete') &&
          b.start.slice(0, 10) >= today,
      );
    expect(officer, 'the demo has an undecided booking of the facilities officer').to.not.equal(undefined);
    expect(items.map((i) => i.href)).to.include(`/bookings/${officer?.id}`);
    // Nothing of the libraries (the library manager's and the coordinators').
    expect(res.text).not.to.include('Hillcrest Library');
  });

  it('when an action is given to the education officer on a building, then it is theirs alone, shown without a link they could not open', async () => {
    const premises = t.store.list('premises')[0];
    if (!premises) throw new Error('no premises in the demo');
    const due = addDays(today, 3);
    await t.store.transact('test', (tx) =>
      tx.insert('actions', {
        subjectType: 'premises',
        subjectId: premises.id,
        reviewId: null,
        questionId: null,
        description: 'Check the lettings noticeboard',
        ownerEmail: 'education@demo.test',
        dueOn: due,
        status: 'open',
        closedAt: null,
        closedBy: null,
        closingNote: null,
      }),
    );
    const mine = itemsOn((await as('education').get('/my-actions')).text).find((i) =>
      i.cells[1]?.startsWith('Check the lettings noticeboard'),
    );
    expect(mine?.cells[3]).to.equal('Premises');
    expect(mine?.href).to.equal(null);
    expect((await as('education').get(`/premises/${premises.id}`)).status).to.equal(403);
    for (const other of ['coordinator', 'facilities', 'viewer'])
      expect((await as(other).get('/my-actions')).text, other).not.to.include(
        'Check the lettings noticeboard',
      );

    const action = t.store.list('actions').find((a) => a.description === 'Check the lettings noticeboard');
    await t.store.transact('test', (tx) =>
      tx.update('actions', action?.id ?? '', { status: 'closed', closedAt: new Date().toISOString() }),
    );
    expect((await as('education').get('/my-actions')).text).not.to.include('Check the lettings noticeboard');
  });

  it('when the coordinator opens it, then referred bookings and unowned items are theirs; the CSV holds the same rows', async () => {
    const page = await as('coordinator').get('/my-actions');
    const items = itemsOn(page.text);
    const referred = t.store
      .list('bookings')
      .find((b) => b.status === 'referred' && b.start.slice(0, 10) >= today);
    expect(items.map((i) => i.href)).to.include(`/bookings/${referred?.id}`);
    const csv = parse((await as('coordinator').get('/my-actions?format=csv')).text.replace(/^\uFEFF/, ''), {
      columns: true,
    }) as Record<string, string>[];
    expect(csv.map((r) => r.What)).to.deep.equal(items.map((i) => i.cells[1]));
    expect(Object.keys(csv[0] ?? {})).to.deep.equal(['Due', 'What', 'What is needed', 'Area', 'Status']);
  });

  it('when it is sorted by area, then the header says so and a bad sort falls back to soonest first', async () => {
    const byArea = await as('facilities').get('/my-actions?sort=area');
    const areas = itemsOn(byArea.text).map((i) => i.cells[3] ?? '');
    expect(areas).to.deep.equal([...areas].sort());
    expect(byArea.text).to.match(/aria-sort="ascending"><a [^>]*>Area/);
    const bad = await as('facilities').get('/my-actions?sort=%7B%22x%22%3A1%7D');
    expect(bad.status).to.equal(200);
    expect(bad.text).to.match(/aria-sort="ascending"><a [^>]*>Due/);
  });
});
