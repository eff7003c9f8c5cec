import { expect } from 'chai';
import { namesToScreen, screenKeysOf } from '../../../checks/bookingRules.js';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { completeBookingChecks } from '../../support/reviewSections.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** The decision radios a page offers, by value. */
const offered = (html: string) =>
  [...html.matchAll(/name="decision" type="radio" value="([^"]+)"/g)].map((m) => m[1]);

/** The ids the error summary links to, in order. */
const summaryLinks = (html: string) => {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
};

describe('HTTP: the decision form (SPEC §17: conditional reveal, only the choices the rules allow)', () => {
  let t: TestApp;
  let facilities: TestAgent;
  let coordinator: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref) as Booking;

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  it('when a booking’s checks are not complete, then Approved is not offered and the page says why', async () => {
    const page = await facilities.get(`/bookings/${byRef('NB-H-1001').id}/decision`);
    expect(page.status).to.equal(200);
    expect(offered(page.text)).to.deep.equal(['referred', 'refused', 'cancelled']);
    expect(page.text).to.include('Approved and Approved with conditions are not offered.');
    expect(page.text).to.include('its due-diligence checks (H1 to H14) are not complete');
  });

  it('when a name on a checked booking matches the watch list, then the officer is not offered Approved, saying why; the coordinator is', async () => {
    const b = byRef('NB-H-1004');
    const hirer = t.store.get('hirers', b.hirerId);
    if (!hirer) throw new Error('NB-H-1004 has no hirer');
    const speakers = [...b.speakers, { name: 'Jon Q. Exemplar', aliases: [], affiliation: null }];
    await t.store.transact('test', (tx) => {
      tx.update('bookings', b.id, { speakers, screenKeys: screenKeysOf(namesToScreen(hirer, speakers)) });
    });
    expect(t.services.bookings.openMatches(byRef('NB-H-1004')).length).to.be.greaterThan(0);
    const officer = await facilities.get(`/bookings/${b.id}/decision`);
    expect(offered(officer.text)).to.deep.equal(['referred', 'refused', 'cancelled']);
    expect(officer.text).to.include('a name on it matches the watch list. Refer it to the coordinator');
    const sent = await facilities.post(`/bookings/${b.id}/decision`, {
      decision: 'approved',
      rationale: 'Trying anyway',
      version: String(byRef('NB-H-1004').version),
    });
    expect(sent.status).to.equal(400);
    expect(byRef('NB-H-1004').status).to.equal('checks-complete');
    const shown = await facilities.get(`/bookings/${b.id}`);
    expect(shown.text).to.include('Watch-list match to resolve');
    // The submitted checks themselves say so too, never "Compliant" over the open match.
    const checks = t.store
      .list('reviews')
      .find((r) => r.subjectType === 'booking' && r.subjectId === b.id && r.status === 'submitted');
    if (!checks) throw new Error('NB-H-1004 has submitted checks');
    const checksPage = await facilities.get(`/reviews/${checks.id}`);
    expect(checksPage.status).to.equal(200);
    expect(checksPage.text).to.include('Watch-list match to resolve');
    expect(checksPage.text).to.not.match(/govuk-tag[^>]*>\s*Compliant\s*</);
    expect(shown.text).to.not.match(/govuk-tag--green">\s*Compliant/);
    const coord = await coordinator.get(`/bookings/${b.id}/decision`);
    expect(offered(coord.text)).to.deep.equal([
      'approved',
      'approved-with-conditions',
      'refused',
      'cancelled',
    ]);
  });

  it('when the form is shown, then conditions sit under "Approved with conditions" and balancing under it and "Refused" only', async () => {
    const page = await coordinator.get(`/bookings/${byRef('NB-H-1004').id}/decision`);
    const reveal = (value: string) => {
      const id = new RegExp(`id="(decision[^"]*)" name="decision" type="radio" value="${value}"`).exec(
        page.text,
      )?.[1];
      return new RegExp(
        `id="conditional-${id}">([\\s\\S]*?)</div>\\s*(<div class="govuk-radios__item">|</div>)`,
      ).exec(page.text)?.[1];
    };
    const withConditions = reveal('approved-with-conditions') ?? '';
    expect(withConditions).to.include('name="conditions"');
    expect(withConditions).to.include('name="approved-with-conditions-expression"');
    const refused = reveal('refused') ?? '';
    expect(refused).to.include('name="refused-equality"');
    expect(refused).not.to.include('name="conditions"');
    expect(reveal('approved')).to.equal(undefined);
    expect(reveal('cancelled')).to.equal(undefined);
    expect(page.text.match(/name="conditions"/g)?.length).to.equal(1);
  });

  it('when a refusal misses its reasons and balancing, then the errors follow the page and every box keeps its text', async () => {
    const b = byRef('NB-H-1004');
    const res = await coordinator.post(`/bookings/${b.id}/decision`, {
      decision: 'refused',
      rationale: '',
      conditions: 'Typed before changing my mind',
      'refused-expression': 'Weighed the right to meet',
      'refused-equality': '',
      'refused-alternatives': '',
      'approved-with-conditions-expression': 'Written under the other choice',
      version: String(b.version),
    });
    expect(res.status).to.equal(400);
    expect(summaryLinks(res.text)).to.deep.equal(['refused-equality', 'refused-alternatives', 'rationale']);
    expect(res.text).to.include('Weighed the right to meet');
    expect(res.text).to.include('Typed before changing my mind');
    expect(res.text).to.include('Written under the other choice');
    expect(res.text).to.match(/value="refused" checked/);
    expect(byRef('NB-H-1004').status).to.equal('checks-complete');
  });

  it('when the refusal is sent again complete, then it records the chosen decision’s own balancing, ignoring the hidden boxes', async () => {
    const b = byRef('NB-H-1004');
    const form = {
      decision: 'refused',
      rationale: 'A speaker is on the proscribed list.',
      conditions: 'Typed before changing my mind',
      'refused-expression': 'Weighed the right to meet',
      'refused-equality': 'Rests on the listing alone',
      'refused-alternatives': 'No condition makes it lawful',
      'approved-with-conditions-expression': 'Written under the other choice',
      version: String(b.version),
    };
    const res = await coordinator.post(`/bookings/${b.id}/decision`, form);
    expect(res.status).to.equal(303);
    const decided = byRef('NB-H-1004');
    const d = t.store.get('bookingDecisions', decided.decisionId ?? '');
    expect(d?.decision).to.equal('refused');
    expect(d?.conditions).to.deep.equal([]);
    expect(d?.balancing).to.deep.equal({
      expression: 'Weighed the right to meet',
      equality: 'Rests on the listing alone',
      alternatives: 'No condition makes it lawful',
    });
    const count = t.store.list('bookingDecisions').length;
    const again = await coordinator.post(`/bookings/${b.id}/decision`, form);
    expect(again.status).to.equal(303);
    expect(t.store.list('bookingDecisions').length).to.equal(count);
    expect(byRef('NB-H-1004').version).to.equal(decided.version);
  });

  it('when a booking’s checks are started, then H12 does not ask whether a decision was made, and the evidence hint is about bookings, not a library’s IWF membership', async () => {
    const start = await facilities.post('/reviews/start', {
      subjectType: 'booking',
      subjectId: byRef('NB-H-1002').id,
    });
    expect(start.status).to.equal(303);
    const path = String(start.headers.location);
    // The checks come before the decision: H12 (in the DECIDE section) asks for the referral, not
    // whether a decision was made.
    const decide = await facilities.get(`${path}/section/3`);
    expect(decide.text).to.include('referred to the Prevent lead for the decision');
    expect(decide.text).to.not.include('a decision made');
    // Evidence is added on check your answers, once every section is answered.
    await completeBookingChecks(facilities, path);
    const check = await facilities.get(`${path}/check`);
    expect(check.status).to.equal(200);
    expect(check.text).to.include('For example: the hirer’s signed terms of hire');
    expect(check.text).to.not.include('IWF');
  });
});
