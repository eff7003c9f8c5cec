import { expect } from 'chai';
import { addDays, formatDate, londonDate } from '../../../checks/londonDates.js';
import { libraryAttestation } from '../../../checks/templates/libraryAttestation.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { schoolAudit } from '../../../checks/templates/schoolAudit.js';
import { formFields } from '../../support/formFields.js';
import { completeBookingChecks } from '../../support/reviewSections.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

/**
 * Issue 20, item 1: a review is answered, then checked on "check your answers" (where its evidence is
 * added), then submitted once, then confirmed with a panel saying what happens next.
 */
describe('HTTP: check your answers, then submit, then the confirmation', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  async function startAudit(fran: TestAgent, ref: string) {
    const premises = t.store.list('premises').find((p) => p.ref === ref);
    if (!premises) throw new Error(`no demo premises ${ref}`);
    const res = await fran.post('/reviews/start', {
      subjectType: 'premises',
      subjectId: premises.id,
      from: 'blank',
    });
    return String(res.headers.location);
  }

  it('when an audit is continued, then its answers are saved and shown to check with a change link each; evidence added there comes back there; submit makes it final and shows the panel; the back button’s second submit changes nothing', async () => {
    const fran = await t.signIn('facilities@demo.test');
    const path = await startAudit(fran, 'NB-011');
    const id = path.split('/').pop() ?? '';
    const page = await fran.get(path);
    expect(page.text).to.include('>\n  Continue\n</button>');
    expect(page.text).to.not.include('value="submit"');
    const form: Record<string, string | string[]> = { ...formFields(page.text, path), intent: 'check' };
    for (const q of premisesAudit.questions) form[`answer-${q.id}`] = 'yes';
    form['answer-P13'] = 'na';
    form['comment-P13'] = 'First audit of the building';
    form.notes = 'Met the caretaker';

    const continued = await fran.post(path, form);
    expect(continued.status, errorList(continued.text)).to.equal(303);
    expect(continued.headers.location).to.equal(`${path}/check`);
    const draft = t.store.get('reviews', id);
    expect(draft?.status).to.equal('draft');
    expect(draft?.answers.P13).to.include({ answer: 'na', reason: 'First audit of the building' });

    const check = await fran.get(`${path}/check`);
    expect(check.status).to.equal(200);
    expect(check.text).to.include('Check your answers before submitting');
    expect(check.text).to.include('Not applicable: First audit of the building');
    expect(check.text).to.include(`href="${path}#question-P1"`);
    expect(check.text).to.include('Change<span class="govuk-visually-hidden"> the answer to P1</span>');
    expect(check.text).to.include('Met the caretaker');
    expect(check.text).to.include('Outcome if you submit');
    expect(check.text).to.include(`action="${path}/evidence"`);
    // Submit is the page's last form, after the evidence.
    expect(check.text.lastIndexOf('value="submit"')).to.be.greaterThan(check.text.indexOf('id="evidence"'));

    const token = await fran.refreshCsrf(`${path}/check`);
    const added = await fran.agent
      .post(`${path}/evidence`)
      .field('_csrf', token)
      .field('description', 'Caretaker’s sign-in sheet')
      .attach('file', PDF, 'sign-in.pdf');
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`${path}/check#evidence`);
    const refused = await fran.agent
      .post(`${path}/evidence`)
      .field('_csrf', token)
      .field('description', 'Kept as typed');
    expect(refused.status).to.equal(400);
    expect(refused.text).to.include('Check your answers before submitting');
    expect(refused.text).to.include('value="Kept as typed"');

    const checked = await fran.get(`${path}/check`);
    expect(checked.text).to.include('sign-in.pdf');
    // Removing a file is confirmed first: the link shows what goes; only its Yes removes it.
    const file = t.store.list('evidence').find((e) => e.reviewId === id && e.filename === 'sign-in.pdf');
    const removeHref = `${path}/evidence/${file?.id}/remove`;
    expect(checked.text).to.include(`href="${removeHref}"`);
    const confirm = await fran.get(removeHref);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.include('Remove this file from the evidence?');
    expect(confirm.text).to.include('sign-in.pdf');
    expect(confirm.text).to.include(`href="${path}/check#evidence"`);
    expect(t.store.get('evidence', file?.id ?? '')).to.not.equal(undefined);
    const removed = await fran.post(removeHref, formFields(confirm.text, removeHref));
    expect(removed.headers.location).to.equal(`${path}/check#evidence`);
    expect(t.store.get('evidence', file?.id ?? '')).to.equal(undefined);
    const submitForm = formFields(checked.text.slice(checked.text.lastIndexOf('<form')), path);
    const submitted = await fran.post(path, { ...submitForm, intent: 'submit' });
    expect(submitted.status, errorList(submitted.text)).to.equal(303);
    expect(submitted.headers.location).to.equal(`${path}/confirmation`);
    const review = t.store.get('reviews', id);
    expect(review?.status).to.equal('submitted');
    expect(review?.notes).to.equal('Met the caretaker');
    expect(review?.answers.P13).to.include({ answer: 'na', reason: 'First audit of the building' });

    const confirmation = await fran.get(`${path}/confirmation`);
    expect(confirmation.text).to.include('govuk-panel--confirmation');
    expect(confirmation.text).to.include('Premises audit submitted');
    expect(confirmation.text).to.include('What happens next');
    expect(confirmation.text).to.include(`is due by <strong>${formatDate(review?.nextDue ?? '')}</strong>`);

    // The back button: the check page now goes to the submitted review, and its old form sent again is the
    // same submission: it changes nothing and shows the confirmation again (not "changed since you opened").
    expect((await fran.get(`${path}/check`)).headers.location).to.equal(path);
    const before = JSON.stringify(t.store.get('reviews', id));
    const again = await fran.post(path, { ...submitForm, intent: 'submit' });
    expect(again.headers.location, 'sent to the confirmation').to.equal(`${path}/confirmation`);
    expect(JSON.stringify(t.store.get('reviews', id))).to.equal(before);
    // Someone else's form at that version is a change made meanwhile: not taken as the same submission.
    const other = await t.signIn('coordinator@demo.test');
    const theirs = await other.post(path, { ...submitForm, _csrf: other.csrf, intent: 'submit' });
    expect(theirs.headers.location ?? '', 'not the confirmation').to.not.equal(`${path}/confirmation`);
    expect(JSON.stringify(t.store.get('reviews', id))).to.equal(before);
  });

  it('when continuing with a bad field, then nothing moves on and the form comes back; the confirmation of a draft goes back to the form', async () => {
    const fran = await t.signIn('facilities@demo.test');
    const path = await startAudit(fran, 'NB-008');
    const res = await fran.post(path, {
      ...formFields((await fran.get(path)).text, path),
      intent: 'check',
      'answer-P1': 'yes',
      'answer-P10': 'na',
    });
    expect(res.status).to.equal(400);
    expect(errorList(res.text)).to.include('Give a reason why question P10 is not applicable');
    expect((await fran.get(`${path}/confirmation`)).headers.location).to.equal(path);
  });

  it('when a library manager saves the attestation to come back later, then the name and role typed are kept; continuing and submitting signs it as typed', async () => {
    const manager = await t.signIn('libraries@demo.test');
    const library = t.store.list('libraries').find((l) => l.name === 'Northbrook Central Library');
    if (!library) throw new Error('no demo library');
    const started = await manager.post('/reviews/start', {
      subjectType: 'library',
      subjectId: library.id,
      from: 'blank',
    });
    const path = String(started.headers.location);
    const form: Record<string, string | string[]> = {
      ...formFields((await manager.get(path)).text, path),
      intent: 'save',
      'attest-name': 'Lena Library',
      'attest-role': 'Library manager',
    };
    for (const q of libraryAttestation.questions) form[`answer-${q.id}`] = 'yes';
    const saved = await manager.post(path, form);
    expect(saved.status).to.equal(303);
    const back = await manager.get(path);
    expect(back.text).to.include('value="Lena Library"');
    expect(back.text).to.include('value="Library manager"');

    const continued = await manager.post(path, { ...formFields(back.text, path), intent: 'check' });
    expect(continued.status, errorList(continued.text)).to.equal(303);
    const check = await manager.get(`${path}/check`);
    expect(check.text).to.include('Lena Library');
    expect(check.text).to.include('By submitting you confirm');
    expect(check.text).to.include(formatDate(londonDate(t.store.now())));
    const submitForm = formFields(check.text.slice(check.text.lastIndexOf('<form')), path);
    const submitted = await manager.post(path, { ...submitForm, intent: 'submit' });
    expect(submitted.status, errorList(submitted.text)).to.equal(303);
    const review = t.store.get('reviews', path.split('/').pop() ?? '');
    expect(review?.status).to.equal('submitted');
    expect(review?.attestation).to.include({ name: 'Lena Library', role: 'Library manager' });
    expect(review?.draftAttestation).to.equal(null);
    expect((await manager.get(submitted.headers.location ?? '')).text).to.include(
      'Library internet-access attestation submitted',
    );
  });
  it('when a school audit recorded for the school is continued, then the check page shows who confirmed and when, and submitting keeps that date', async () => {
    const education = await t.signIn('education@demo.test');
    let path = '';
    for (const school of t.store.list('schools')) {
      const started = await education.post('/reviews/start', {
        subjectType: 'school',
        subjectId: school.id,
        from: 'blank',
      });
      if (started.status === 303) {
        path = String(started.headers.location);
        break;
      }
    }
    expect(path, 'a school that can be audited').to.not.equal('');
    const confirmedOn = addDays(londonDate(t.store.now()), -2);
    const [year = '', month = '', day = ''] = confirmedOn.split('-');
    const form: Record<string, string | string[]> = {
      ...formFields((await education.get(path)).text, path),
      intent: 'check',
      confirmAll: 'yes',
      'attest-name': 'Zoë Fletcher',
      'attest-role': 'Headteacher',
      'attest-date-day': String(Number(day)),
      'attest-date-month': String(Number(month)),
      'attest-date-year': year,
    };
    for (const q of schoolAudit.questions) {
      form[`answer-${q.id}`] = q.naAllowed ? 'na' : 'yes';
      form[`comment-${q.id}`] = `Confirmed with the school for ${q.id}`;
      form[`confirm-${q.id}`] = 'yes';
    }
    const continued = await education.post(path, form);
    expect(continued.status, errorList(continued.text)).to.equal(303);
    const check = await education.get(`${path}/check`);
    expect(check.text).to.include('Date they confirmed');
    expect(check.text).to.include(formatDate(confirmedOn));
    expect(check.text).to.include('By submitting you record that the school confirmed');
    const submitForm = formFields(check.text.slice(check.text.lastIndexOf('<form')), path);
    const submitted = await education.post(path, { ...submitForm, intent: 'submit' });
    expect(submitted.status, errorList(submitted.text)).to.equal(303);
    const review = t.store.get('reviews', path.split('/').pop() ?? '');
    expect(review?.status).to.equal('submitted');
    expect(review?.attestation).to.include({ name: 'Zoë Fletcher', role: 'Headteacher', confirmedOn });
  });
  it('when a booking’s checks are continued and submitted, then the check page gives no outcome (the decision weighs more) and the confirmation says the decision comes next', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    let path = '';
    for (const b of t.store.list('bookings').filter((x) => x.status === 'provisional')) {
      const started = await coordinator.post('/reviews/start', { subjectType: 'booking', subjectId: b.id });
      if (started.status === 303) {
        path = String(started.headers.location);
        break;
      }
    }
    expect(path, 'a provisional booking to check').to.not.equal('');
    // Its questions come in three sections, each on its own page (reviewSections.test.ts).
    await completeBookingChecks(coordinator, path);
    const check = await coordinator.get(`${path}/check`);
    expect(check.text).to.include('Check your answers before submitting');
    expect(check.text).to.not.include('Outcome if you submit');
    const submitForm = formFields(check.text.slice(check.text.lastIndexOf('<form')), path);
    const submitted = await coordinator.post(path, { ...submitForm, intent: 'submit' });
    expect(submitted.status, errorList(submitted.text)).to.equal(303);
    const confirmation = await coordinator.get(String(submitted.headers.location));
    expect(confirmation.text).to.include('Booking due diligence submitted');
    expect(confirmation.text).to.include('Next, the booking needs a decision');
    expect(confirmation.text).to.not.include('Outcome:');
  });
  it('when the draft changes after its check page was opened, then Submit on that page submits nothing and shows the answers as they are now to check again', async () => {
    const fran = await t.signIn('facilities@demo.test');
    const path = await startAudit(fran, 'NB-010');
    const id = path.split('/').pop() ?? '';
    const form: Record<string, string | string[]> = {
      ...formFields((await fran.get(path)).text, path),
      intent: 'check',
    };
    for (const q of premisesAudit.questions) form[`answer-${q.id}`] = 'yes';
    expect((await fran.post(path, form)).status).to.equal(303);
    const check = await fran.get(`${path}/check`);
    const stale = formFields(check.text.slice(check.text.lastIndexOf('<form')), path);
    // Another tab saves a change to the draft.
    const other = formFields((await fran.get(path)).text, path);
    expect(
      (await fran.post(path, { ...other, intent: 'save', notes: 'Changed in another tab' })).status,
    ).to.equal(303);
    const res = await fran.post(path, { ...stale, intent: 'submit' });
    expect(res.status).to.equal(409);
    expect(res.text).to.include('The answers changed since you opened this page');
    expect(res.text).to.include('Check your answers before submitting');
    expect(res.text).to.include('Changed in another tab');
    // Its Submit now carries the draft's present version, and submits it.
    const fresh = formFields(res.text.slice(res.text.lastIndexOf('<form')), path);
    expect(fresh.version).to.equal(String(t.store.get('reviews', id)?.version));
    expect(t.store.get('reviews', id)?.status).to.equal('draft');
    expect(t.store.get('reviews', id)?.notes).to.equal('Changed in another tab');
  });
});
