import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { londonDate } from '../../../checks/londonDates.js';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { createBoroughDatabase } from '../../bench/boroughDatabase.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** The booking references in a list page's table, in the order shown. */
function refsOn(html: string): string[] {
  return [...html.matchAll(/<a class="govuk-link" href="\/bookings\/[^"]+">([^<]+)<\/a>/g)].map(
    (m) => m[1] ?? '',
  );
}

const byText = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a === b ? 0 : 1);

describe('HTTP: the bookings list at borough scale (20,000 bookings): sort, filter, page, CSV', function () {
  this.timeout(180_000);
  let t: TestApp;
  let coordinator: TestAgent;
  let today: string;
  const all = (): Booking[] => [...t.store.list('bookings')];

  before(async () => {
    today = londonDate(new Date());
    t = await startTestApp({
      prepare: (dbPath) =>
        createBoroughDatabase(
          dbPath,
          { premises: 1_000, bookings: 20_000, schools: 10, libraries: 2 },
          today,
        ),
    });
    coordinator = await t.signIn('coordinator@demo.test');
    expect(all().length).to.be.greaterThan(20_000);
  });
  after(() => t?.close());

  it('when the list opens, then it shows the first 50 upcoming bookings soonest first, with the count', async () => {
    const res = await coordinator.get('/bookings');
    expect(res.status).to.equal(200);
    const upcoming = all()
      .filter((b) => b.start.slice(0, 10) >= today)
      .sort((a, b) => a.start.localeCompare(b.start));
    expect(upcoming.length).to.be.greaterThan(1_000);
    expect(res.text).to.include(`Showing 1 to 50 of ${upcoming.length.toLocaleString('en-GB')} bookings`);
    const refs = refsOn(res.text);
    expect(refs).to.have.length(50);
    const starts = refs.map((r) => all().find((b) => b.ref === r)?.start ?? '');
    expect(starts).to.deep.equal([...starts].sort());
    expect(starts[0]).to.equal(upcoming[0]?.start);
    expect(res.text).to.match(
      /<th scope="col" class="govuk-table__header" aria-sort="ascending"><a [^>]*>When/,
    );
  });

  it('when sorted by reference, descending, filtered by status over all dates and paged, then page 3 holds rows 101 to 150', async () => {
    const expected = all()
      .filter((b) => b.status === 'approved')
      .map((b) => b.ref)
      .sort(byText)
      .reverse();
    const res = await coordinator.get('/bookings?when=all&status=approved&sort=ref&dir=desc&page=3');
    expect(res.status).to.equal(200);
    expect(refsOn(res.text)).to.deep.equal(expected.slice(100, 150));
    expect(res.text).to.include(`Showing 101 to 150 of ${expected.length.toLocaleString('en-GB')} bookings`);
    expect(res.text).to.match(/aria-sort="descending"><a [^>]*>Booking/);
    // The page links keep the filters and the sort.
    expect(res.text).to.include(
      'href="/bookings?status=approved&amp;when=all&amp;sort=ref&amp;dir=desc&amp;page=4"',
    );
    // The header link of the sorted column turns the order round; the filter form keeps the sort.
    expect(res.text).to.include('href="/bookings?status=approved&amp;when=all&amp;sort=ref&amp;dir=asc"');
    expect(res.text).to.include('<input type="hidden" name="sort" value="ref">');
  });

  it('when the words filter is used with a sort by hirer, then only matching bookings show, in hirer order', async () => {
    const res = await coordinator.get('/bookings?when=all&q=HB00001&sort=hirer');
    expect(res.status).to.equal(200);
    const expected = all().filter((b) => b.ref.toLowerCase().includes('hb00001'));
    expect(res.text).to.include(`Showing 1 to 50 of ${expected.length.toLocaleString('en-GB')} bookings`);
    const hirers = refsOn(res.text).map((r) => {
      const b = all().find((x) => x.ref === r);
      return t.store.get('hirers', b?.hirerId ?? '')?.name.toLowerCase() ?? '';
    });
    expect(hirers).to.deep.equal([...hirers].sort());
  });

  it('when "Download CSV" is followed, then the file holds every row the filters select, in the order shown', async () => {
    const page = await coordinator.get('/bookings?when=past&status=refused&sort=ref');
    const link = /href="([^"]+)" download>Download CSV/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(link).to.equal('/bookings?status=refused&when=past&sort=ref&dir=asc&format=csv');
    const res = await coordinator.get(link ?? '');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.include('bookings.csv');
    const rows = parse(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    const expected = all()
      .filter((b) => b.status === 'refused' && b.start.slice(0, 10) < today)
      .map((b) => b.ref)
      .sort(byText);
    expect(expected.length).to.be.greaterThan(50);
    expect(rows.map((r) => r.Booking)).to.deep.equal(expected);
    expect(Object.keys(rows[0] ?? {})).to.deep.equal([
      'Booking',
      'Event',
      'When',
      'Where',
      'Hirer',
      'Status',
      'Flags',
    ]);
    expect(rows.every((r) => r.Status === 'Refused')).to.equal(true);
  });

  it('when the sort or page cannot be used, then the list answers with its usual order and says why, never a 500', async () => {
    const badSort = await coordinator.get('/bookings?sort=passwordHash&dir=sideways');
    expect(badSort.status).to.equal(200);
    expect(badSort.text).to.include('The list cannot be sorted that way');
    expect(badSort.text).to.include('The sort order was not recognised');
    expect(badSort.text).to.match(/aria-sort="ascending"><a [^>]*>When/);
    for (const page of ['abc', '-1', '0', '99999999999999999999', '1e3']) {
      const res = await coordinator.get(`/bookings?page=${page}`);
      expect(res.status, page).to.equal(200);
      expect(res.text, page).to.include('That page number was not recognised');
      expect(res.text, page).to.include('Showing 1 to 50 of');
    }
    const past = await coordinator.get('/bookings?when=all&page=999999');
    expect(past.status).to.equal(200);
    const total = all().length;
    const lastFrom = Math.floor((total - 1) / 50) * 50 + 1;
    expect(past.text).to.include(
      `Showing ${lastFrom.toLocaleString('en-GB')} to ${total.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} bookings`,
    );
    const twice = await coordinator.get('/bookings?sort=ref&sort=when&page=2&page=x');
    expect(twice.status).to.equal(200);
    const long = await coordinator.get(`/bookings?when=all&q=${'x'.repeat(201)}`);
    expect(long.status).to.equal(200);
    expect(long.text).to.include('The search words were longer than 200 characters, so they were not used.');
    expect(long.text).to.include(`of ${total.toLocaleString('en-GB')} bookings`);
  });

  it('when the dashboard has more than 50 flags, then it pages them the same way, with numbered links', async () => {
    const two = await coordinator.get('/?page=2');
    expect(two.status).to.equal(200);
    expect(two.text).to.match(/Showing 51 to 100 of [\d,]+ flags/);
    expect(two.text).to.include('aria-label="Page 1"');
    expect(two.text).to.match(/aria-label="Page 2" aria-current="page"/);
    const bad = await coordinator.get('/?page=zz');
    expect(bad.status).to.equal(200);
    expect(bad.text).to.match(/Showing 1 to 50 of [\d,]+ flags/);
  });

  it('when a viewer asks for the list or its CSV, then both are refused', async () => {
    const viewer = await t.signIn('viewer@demo.test');
    expect((await viewer.get('/bookings')).status).to.equal(403);
    expect((await viewer.get('/bookings?format=csv')).status).to.equal(403);
  });
});
