import { expect } from 'chai';
import { londonDate } from '../../../checks/londonDates.js';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { formFields } from '../../support/formFields.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** The ids the error summary links to, in order. */
const summaryLinks = (html: string) => {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
};
const primaryButtons = (html: string) =>
  [...html.matchAll(/<(button|a)[^>]*class="govuk-button( [^"]*)?"/g)].filter(
    (m) => !/govuk-button--(secondary|warning)/.test(m[2] ?? ''),
  ).length;

describe('HTTP: the booking form (SPEC §17: add another, generated reference, errors in page order)', () => {
  let t: TestApp;
  let facilities: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref) as Booking | undefined;
  const year = londonDate(new Date()).slice(0, 4);

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
  });
  after(() => t.close());

  /** A complete new-booking form: the page's own fields with the event filled in. */
  async function filledForm(): Promise<Record<string, string | string[]>> {
    const page = await facilities.get('/bookings/new');
    const hall = /<option value="([^"]+)">[^<]*Main Hall/.exec(page.text)?.[1] ?? '';
    const future = new Date(Date.now() + 40 * 86_400_000);
    return {
      ...formFields(page.text, '/bookings'),
      hallId: hall,
      'start-day': String(future.getUTCDate()),
      'start-month': String(future.getUTCMonth() + 1),
      'start-year': String(future.getUTCFullYear()),
      startTime: '18:30',
      endTime: '21:00',
      eventTitle: 'Poetry evening',
      hirerName: 'Sam Example',
      'speaker-0-name': 'A. Poet',
      'speaker-0-aliases': 'Ann Poet; A. P.',
      'speaker-0-affiliation': 'Riverside Writers',
    };
  }

  it('when a new booking is opened, then it has a generated reference that can be changed, one speaker row and one primary button', async () => {
    const page = await facilities.get('/bookings/new');
    const fields = formFields(page.text, '/bookings');
    expect(fields.ref).to.equal(`HH-${year}-0001`);
    expect(page.text).to.include('Change it if the council’s booking system gives its own');
    expect(Object.keys(fields).filter((k) => /^speaker-\d+-name$/.test(k))).to.deep.equal(['speaker-0-name']);
    expect(page.text).to.include('>Add another speaker</button>');
    expect(primaryButtons(page.text)).to.equal(1);
  });

  it('when "Add another speaker" is pressed, then the form comes back with everything typed and one more speaker, and nothing is saved', async () => {
    const form = await filledForm();
    const before = t.store.list('bookings').length;
    const res = await facilities.post('/bookings', { ...form, addSpeaker: 'yes' });
    expect(res.status).to.equal(200);
    expect(res.text).to.not.include('govuk-error-summary');
    const shown = formFields(res.text, '/bookings');
    expect(shown).to.deep.equal({
      ...form,
      _csrf: shown._csrf,
      'speaker-1-name': '',
      'speaker-1-aliases': '',
      'speaker-1-affiliation': '',
    });
    expect(res.text).to.include('Remove<span class="govuk-visually-hidden"> speaker 2</span>');
    expect(t.store.list('bookings').length).to.equal(before);
  });

  it('when a speaker is removed and the booking saved with two, then both are on the booking under the generated reference', async () => {
    const form = {
      ...(await filledForm()),
      'speaker-1-name': 'To be removed',
      'speaker-1-aliases': '',
      'speaker-1-affiliation': '',
      'speaker-2-name': 'B. Second',
      'speaker-2-aliases': '',
      'speaker-2-affiliation': 'Open Mic Club',
    };
    const removed = await facilities.post('/bookings', { ...form, removeSpeaker: '1' });
    expect(removed.status).to.equal(200);
    const shown = formFields(removed.text, '/bookings');
    expect([shown['speaker-0-name'], shown['speaker-1-name'], shown['speaker-2-name']]).to.deep.equal([
      'A. Poet',
      'B. Second',
      undefined,
    ]);
    const saved = await facilities.post('/bookings', shown as Record<string, string>);
    expect(saved.status).to.equal(303);
    const b = byRef(`HH-${year}-0001`);
    expect(b?.speakers.map((s) => [s.name, s.aliases, s.affiliation])).to.deep.equal([
      ['A. Poet', ['Ann Poet', 'A. P.'], 'Riverside Writers'],
      ['B. Second', [], 'Open Mic Club'],
    ]);
    const next = formFields((await facilities.get('/bookings/new')).text, '/bookings');
    expect(next.ref).to.equal(`HH-${year}-0002`);
  });

  it('when several fields are wrong, then the error summary lists them in page order and every value comes back', async () => {
    const form = {
      ...(await filledForm()),
      ref: '',
      hallId: '',
      'start-day': '31',
      'start-month': '2',
      'end-day': '1',
      'end-month': '13',
      'end-year': '2026',
      startTime: '25:00',
      hirerEmail: 'not-an-email',
      'speaker-0-name': '',
      bookingOfficerEmail: 'also wrong',
    };
    const res = await facilities.post('/bookings', form);
    expect(res.status).to.equal(400);
    expect(summaryLinks(res.text)).to.deep.equal([
      'ref',
      'hallId',
      'start-day',
      'startTime',
      'end-day',
      'hirerEmail',
      'speaker-0-name',
      'bookingOfficerEmail',
    ]);
    const { _csrf, hallId, ...shown } = formFields(res.text, '/bookings');
    const sent: Record<string, string | string[] | undefined> = { ...form };
    delete sent._csrf;
    delete sent.hallId;
    expect(hallId, 'no hall was chosen, and none is shown chosen').to.equal(undefined);
    expect(shown).to.deep.equal(sent);
  });

  it('when "Add another name" is used for the hirer’s other names, then each is kept through an error and all are saved on the hirer', async () => {
    const form = {
      ...(await filledForm()),
      ref: 'HH-OTHER-1',
      hirerName: 'Pat Namesake',
      'otherName-0': 'Riverside Readers',
    };
    const added = await facilities.post('/bookings', { ...form, addOtherName: 'yes' });
    expect(added.status).to.equal(200);
    const shown = formFields(added.text, '/bookings');
    expect([shown['otherName-0'], shown['otherName-1']]).to.deep.equal(['Riverside Readers', '']);
    const withError = await facilities.post('/bookings', {
      ...shown,
      'otherName-1': 'RR Book Club',
      startTime: '',
    } as Record<string, string>);
    expect(withError.status).to.equal(400);
    const again = formFields(withError.text, '/bookings');
    expect([again['otherName-0'], again['otherName-1']]).to.deep.equal(['Riverside Readers', 'RR Book Club']);
    const saved = await facilities.post('/bookings', { ...again, startTime: '18:30' } as Record<
      string,
      string
    >);
    expect(saved.status).to.equal(303);
    const b = byRef('HH-OTHER-1');
    expect(t.store.get('hirers', b?.hirerId ?? '')?.otherNames).to.deep.equal([
      'Riverside Readers',
      'RR Book Club',
    ]);
    const edit = formFields((await facilities.get(`/bookings/${b?.id}/edit`)).text, `/bookings/${b?.id}`);
    expect([edit['otherName-0'], edit['otherName-1']]).to.deep.equal(['Riverside Readers', 'RR Book Club']);
  });

  it('when the hirer’s own form adds another name, then the form comes back with it, nothing saved, and saving keeps them all', async () => {
    const hirerId = byRef('HH-OTHER-1')?.hirerId ?? '';
    const page = await facilities.get(`/hirers/${hirerId}/edit`);
    expect(page.status).to.equal(200);
    const form = formFields(page.text, `/hirers/${hirerId}`);
    expect([form['otherName-0'], form['otherName-1']]).to.deep.equal(['Riverside Readers', 'RR Book Club']);
    const before = t.store.get('hirers', hirerId)?.version;
    const added = await facilities.post(`/hirers/${hirerId}`, { ...form, addOtherName: 'yes' } as Record<
      string,
      string
    >);
    expect(added.status).to.equal(200);
    const shown = formFields(added.text, `/hirers/${hirerId}`);
    expect(shown['otherName-2']).to.equal('');
    expect(t.store.get('hirers', hirerId)?.version).to.equal(before);
    const saved = await facilities.post(`/hirers/${hirerId}`, {
      ...shown,
      'otherName-2': 'Riverside Book Circle',
    } as Record<string, string>);
    expect(saved.status).to.equal(303);
    expect(t.store.get('hirers', hirerId)?.otherNames).to.deep.equal([
      'Riverside Readers',
      'RR Book Club',
      'Riverside Book Circle',
    ]);
  });
});
