import { expect } from 'chai';
import { formFields } from '../../support/formFields.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

describe('HTTP: the conditions sheet prints only while a booking is approved with conditions', () => {
  let t: TestApp;
  let facilities: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref)!;
  /** The demo's public debate, approved with three conditions. */
  let debate: string;

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
    debate = t.store
      .list('bookings')
      .find((b) => b.status === 'approved-with-conditions' && b.eventTitle?.startsWith('Debate'))!.id;
  });
  after(() => t.close());

  it('when the booking is approved with conditions, then the sheet lists them with the decision date', async () => {
    const sheet = await facilities.get(`/bookings/${debate}/conditions`);
    expect(sheet.status).to.equal(200);
    expect(sheet.text).to.include('app-print-sheet');
    expect(sheet.text).to.include('<li>A council officer is present throughout the event.</li>');
    expect(sheet.text).to.include('Decided on');
  });

  it('when a speaker is changed to a watch-list name, then the booking is provisional and the page says it is not approved and why, with no conditions and no decision date', async () => {
    const b = t.store.get('bookings', debate)!;
    const edit = await facilities.get(`/bookings/${debate}/edit`);
    const form = formFields(edit.text, `/bookings/${debate}`);
    expect(form['speaker-1-name']).to.equal('C. Sample');
    const res = await facilities.post(`/bookings/${debate}`, {
      ...form,
      'speaker-1-name': 'Jon Q. Exemplar',
      'speaker-1-aliases': '',
    });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(t.store.get('bookings', debate)!.status).to.equal('provisional');
    // The decision is still linked to the booking: the page must not take it as standing.
    expect(t.store.get('bookings', debate)!.decisionId).to.equal(b.decisionId);

    const page = await facilities.get(`/bookings/${debate}/conditions`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('This booking is not approved');
    expect(page.text).to.include('Provisional');
    expect(page.text).to.match(
      /The decision of \d+ \w+ \d{4} no longer stands: the names on the booking changed after it/,
    );
    expect(page.text).not.to.include('app-print-sheet');
    expect(page.text).not.to.include('A council officer is present');
    expect(page.text).not.to.include('Decided on');
    const show = await facilities.get(`/bookings/${debate}`);
    expect(show.text).not.to.include('Print the conditions for on-site staff');
  });

  it('when bookings are in other states, then each page names its status and says why there is no sheet', async () => {
    const cases: [string, RegExp][] = [
      [
        'refused',
        /This booking is not approved[\s\S]*It was refused on \d+ \w+ \d{4}\. The event must not go ahead\./,
      ],
      ['referred', /This booking is not approved[\s\S]*referred to the Prevent coordinator/],
      ['approved', /This booking was approved without conditions/],
      ['cancelled', /This booking is not approved[\s\S]*It was cancelled/],
    ];
    for (const [status, expected] of cases) {
      const b = t.store.list('bookings').find((x) => x.status === status)!;
      const page = await facilities.get(`/bookings/${b.id}/conditions`);
      expect(page.status, status).to.equal(200);
      expect(page.text, status).to.match(expected);
      expect(page.text, status).not.to.include('app-conditions');
    }
    expect(byRef(t.store.get('bookings', debate)!.ref).status).to.equal('provisional');
  });
});
