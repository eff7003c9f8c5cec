import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

function csvRows(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
}

/** The text of each body row's cells in the list's table, tags and links reduced to their words. */
function tableRows(html: string): string[][] {
  const table = /<table class="govuk-table app-list-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody[^>]*>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      (c[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

describe('HTTP: lists share one component (sort, filter, page, count, CSV)', () => {
  let t: TestApp;
  let coordinator: TestAgent;

  before(async () => {
    t = await startTestApp();
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  describe('premises', () => {
    it('when the list opens, then each building shows its outcome and next due date, by name', async () => {
      const res = await coordinator.get('/premises');
      expect(res.status).to.equal(200);
      const live = t.store.list('premises').filter((p) => !p.archived);
      expect(res.text).to.include(`${live.length} buildings`);
      expect(res.text).to.match(
        /<th scope="col" class="govuk-table__header" aria-sort="none"><a [^>]*>Outcome/,
      );
      expect(res.text).to.match(/aria-sort="none"><a [^>]*>Next due/);
      const rows = tableRows(res.text);
      const names = rows.map((r) => r[0] ?? '');
      expect(names).to.deep.equal([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      const audited = rows.find((r) => r[4] !== 'Never');
      expect(audited?.[5]).to.match(/^(Compliant|Partially compliant|Non-compliant)$/);
      expect(audited?.[6]).to.match(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
      const never = rows.find((r) => r[4] === 'Never');
      expect(never?.[6]).to.equal('Now (never audited)');
    });

    it('when sorted by next due, then buildings never audited come first, then the soonest due', async () => {
      const res = await coordinator.get('/premises?sort=due');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/aria-sort="ascending"><a [^>]*>Next due/);
      const csv = csvRows((await coordinator.get('/premises?sort=due&format=csv')).text);
      expect(Object.keys(csv[0] ?? {})).to.deep.equal([
        'Building',
        'Reference',
        'Ward',
        'Risk',
        'Last audit',
        'Outcome',
        'Next due',
        'Flags',
      ]);
      const dueDays = csv.map((r) =>
        r['Next due'] === 'Now (never audited)' ? 0 : Date.parse(r['Next due'] ?? ''),
      );
      expect(dueDays.every((d) => !Number.isNaN(d))).to.equal(true);
      expect(dueDays).to.deep.equal([...dueDays].sort((a, b) => a - b));
      expect(tableRows(res.text).map((r) => r[0])).to.deep.equal(csv.map((r) => r.Building));
    });

    it('when filtered by risk and flag, then the count, the rows and the CSV agree and flags are in words', async () => {
      const res = await coordinator.get('/premises?risk=high&flag=none');
      expect(res.status).to.equal(200);
      const rows = tableRows(res.text);
      expect(rows.length).to.be.greaterThan(0);
      expect(rows.every((r) => r[3] === 'High' && r[7] === 'None')).to.equal(true);
      const link = /href="([^"]+)" download>Download CSV/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
      expect(link).to.equal('/premises?risk=high&flag=none&format=csv');
      const csv = csvRows((await coordinator.get(link ?? '')).text);
      expect(csv.map((r) => r.Building)).to.deep.equal(rows.map((r) => r[0]));
      const flagged = await coordinator.get('/premises');
      expect(flagged.text).not.to.match(/>[^<]*\b(review-overdue|non-compliant|review-due-soon)\b[^<]*</);
    });
  });
  describe('schools', () => {
    it('when sorted by URN, descending, then the rows and the CSV follow it and flags are in words', async () => {
      const res = await coordinator.get('/schools?sort=urn&dir=desc');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/aria-sort="descending"><a [^>]*>URN/);
      const urns = tableRows(res.text).map((r) => r[1] ?? '');
      expect(urns.length).to.equal(Math.min(50, t.store.list('schools').length));
      expect(urns).to.deep.equal([...urns].sort().reverse());
      const csv = csvRows((await coordinator.get('/schools?sort=urn&dir=desc&format=csv')).text);
      expect(csv.map((r) => r.URN).slice(0, urns.length)).to.deep.equal(urns);
      expect(csv.map((r) => r.Flags).join(' ')).not.to.match(/spoc-|review-/);
      expect(csv.some((r) => r.Flags?.includes('No Prevent lead'))).to.equal(true);
    });
  });

  describe('watch list entries', () => {
    it('when sorted by name, descending, and searched, then the rows and the CSV follow; the count names entries', async () => {
      const list = t.store.list('watchlists')[0];
      if (!list) throw new Error('no watch list in the demo');
      const entries = t.store.list('watchlistEntries').filter((e) => e.listId === list.id);
      const res = await coordinator.get(`/watchlist/${list.id}?sort=name&dir=desc`);
      expect(res.status).to.equal(200);
      const names = tableRows(res.text).map((r) => r[0] ?? '');
      const expected = entries
        .map((e) => e.name)
        .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
        .reverse()
        .slice(0, 50);
      expect(names).to.deep.equal(expected);
      expect(res.text).to.include(`${entries.length} entr`);
      const csv = csvRows(
        (await coordinator.get(`/watchlist/${list.id}?sort=name&dir=desc&format=csv`)).text,
      );
      expect(csv.map((r) => r.Name).slice(0, names.length)).to.deep.equal(names);
      expect(Object.keys(csv[0] ?? {})).to.deep.equal([
        'Name',
        'Other names',
        'Type',
        'Listed on',
        'Reference',
      ]);
    });
  });

  describe('users', () => {
    it('when sorted by email, descending, and searched, then rows and the CSV follow, with no buttons or secrets in the file', async () => {
      const res = await coordinator.get('/users?sort=email&dir=desc');
      expect(res.status).to.equal(200);
      const emails = t.store
        .list('users')
        .map((u) => u.email)
        .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
        .reverse();
      const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(res.text)?.[1] ?? '';
      const shown = [...body.matchAll(/<td class="govuk-table__cell">([^<]+@[^<]+)<\/td>/g)].map((m) => m[1]);
      expect(shown).to.deep.equal(emails.slice(0, 50));
      const csvText = (await coordinator.get('/users?sort=email&dir=desc&format=csv')).text;
      const csv = csvRows(csvText);
      expect(Object.keys(csv[0] ?? {})).to.deep.equal(['Name', 'Email', 'Role', 'Status']);
      expect(csv.map((r) => r.Email)).to.deep.equal(emails);
      expect(csvText).not.to.match(/scrypt|\$2[aby]\$|passwordHash/);
      const searched = await coordinator.get('/users?q=VIEWER');
      expect(searched.text).to.include('viewer@demo.test').and.not.to.include('>facilities@demo.test<');
      expect(searched.text).to.include('1 account');
    });
  });

  describe('libraries', () => {
    it('when a library manager sorts by last attested, then only their libraries show, never attested first, and the CSV agrees', async () => {
      const manager = await t.signIn('libraries@demo.test');
      const res = await manager.get('/libraries?sort=attested');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/aria-sort="ascending"><a [^>]*>Last attested/);
      const rows = tableRows(res.text);
      const user = t.store.list('users').find((u) => u.email === 'libraries@demo.test');
      expect(rows.length).to.equal(user?.libraryIds.length);
      const csv = csvRows((await manager.get('/libraries?sort=attested&format=csv')).text);
      expect(csv.map((r) => r.Library)).to.deep.equal(rows.map((r) => r[0]));
      const open = csv.filter((r) => r['Last attested'] !== 'Not reviewed');
      const days = open.map((r) =>
        r['Last attested'] === 'Never' ? 0 : Date.parse(r['Last attested'] ?? ''),
      );
      expect(days).to.deep.equal([...days].sort((a, b) => a - b));
      expect(csv.map((r) => r.Flags).join(' ')).not.to.match(/filter-test|review-/);
    });
  });

  describe('hirers', () => {
    it('when sorted by bookings, descending, and searched, then rows and the CSV follow; a viewer is refused', async () => {
      const res = await coordinator.get('/hirers?sort=bookings&dir=desc');
      expect(res.status).to.equal(200);
      const rows = tableRows(res.text);
      expect(rows.length).to.equal(t.store.list('hirers').length);
      const counts = rows.map((r) => Number(r[3]));
      expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
      const total = t.store.list('bookings').length;
      expect(counts.reduce((a, b) => a + b, 0)).to.equal(total);
      const csv = csvRows((await coordinator.get('/hirers?sort=bookings&dir=desc&format=csv')).text);
      expect(Object.keys(csv[0] ?? {})).to.deep.equal([
        'Hirer',
        'Organisation',
        'Registered numbers',
        'Bookings',
        'Latest event',
      ]);
      expect(csv.map((r) => r.Hirer)).to.deep.equal(rows.map((r) => r[0]));
      const hirer = t.store.list('hirers').find((h) => h.organisation);
      const found = await coordinator.get(
        `/hirers?q=${encodeURIComponent(hirer?.organisation?.toUpperCase() ?? '')}`,
      );
      expect(tableRows(found.text).map((r) => r[1])).to.include(hirer?.organisation);
      expect(tableRows(found.text).every((r) => `${r[0]} ${r[1]}`.toLowerCase().length > 0)).to.equal(true);
      const viewer = await t.signIn('viewer@demo.test');
      expect((await viewer.get('/hirers')).status).to.equal(403);
      expect((await viewer.get('/hirers?format=csv')).status).to.equal(403);
    });
  });

  describe('bookings', () => {
    it('when filtered by words of a building, then only its bookings show; a building picked by its page link says so', async () => {
      const res = await coordinator.get('/bookings?when=all&building=riverside');
      expect(res.status).to.equal(200);
      const rows = tableRows(res.text);
      expect(rows.length).to.be.greaterThan(0);
      expect(rows.every((r) => r[2]?.startsWith('Riverside Community Centre'))).to.equal(true);
      const riverside = t.store.list('premises').find((p) => p.name === 'Riverside Community Centre');
      const byLink = await coordinator.get(`/bookings?premises=${riverside?.id}&when=all`);
      expect(byLink.text).to.include('Showing bookings at Riverside Community Centre only.');
      expect(byLink.text).to.include('href="/bookings?when=all">Show bookings at every building');
      expect(tableRows(byLink.text).map((r) => r[0])).to.deep.equal(rows.map((r) => r[0]));
      expect(byLink.text).to.include(`<input type="hidden" name="premises" value="${riverside?.id}">`);
    });
  });
});

describe('HTTP: a list page kept whole in production is never stale', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ production: true });
  });
  after(() => t.close());

  it('when a booking changes between two visits, then the second visit shows the change and each person their own page', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const first = await c.get('/bookings?when=all&sort=ref');
    const again = await c.get('/bookings?when=all&sort=ref');
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, '');
    expect(withoutNonce(again.text)).to.equal(withoutNonce(first.text));
    const booking = t.store.list('bookings').find((b) => b.eventTitle);
    if (!booking) throw new Error('no booking with an event title in the demo');
    await t.store.transact('test', (tx) =>
      tx.update('bookings', booking.id, { eventTitle: 'Renamed for the cache test' }),
    );
    const after = await c.get('/bookings?when=all&sort=ref');
    expect(after.text).to.include('Renamed for the cache test');
    const other = await t.signIn('facilities@demo.test');
    const theirs = await other.get('/bookings?when=all&sort=ref');
    const name = (email: string) => t.store.list('users').find((u) => u.email === email)?.name ?? email;
    expect(theirs.text).to.include(
      `${name('facilities@demo.test')}<span class="govuk-visually-hidden"> (your account)`,
    );
    expect(theirs.text).not.to.include(
      `${name('coordinator@demo.test')}<span class="govuk-visually-hidden"> (your account)`,
    );
    expect(theirs.text).to.include('Renamed for the cache test');
  });
});
