import { expect } from 'chai';
import { bookingDueDiligence } from '../../../checks/templates/bookingDueDiligence.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { formFields, keptFields } from '../../support/formFields.js';
import { answerSection } from '../../support/reviewSections.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const SECTIONS = ['ASK', 'CHECK', 'DECIDE'] as const;
const idsIn = (title: string) =>
  bookingDueDiligence.questions.filter((q) => q.section === title).map((q) => q.id);

/** Each section's title and status as the task list shows them, in order. */
function taskList(html: string): { title: string; status: string }[] {
  const list = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [
    ...list.matchAll(
      /govuk-task-list__link"[^>]*>([^<]*)<\/a>[\s\S]*?govuk-task-list__status"[^>]*>([\s\S]*?)<\/div>/g,
    ),
  ].map((m) => ({ title: (m[1] ?? '').trim(), status: (m[2] ?? '').replace(/<[^>]*>/g, '').trim() }));
}

/**
 * Issue 20, item 1: a long checklist (the booking checks, in ASK / CHECK / DECIDE sections) is a GOV.UK
 * task list with one page per section; each page saves its answers into the draft, over the version it
 * was opened at, and returns to the list; check your answers once every section is completed.
 */
describe('HTTP: a review in sections (task list, one page per section)', () => {
  let t: TestApp;
  // A fresh app for each test: the demo has only a few provisional bookings to check.
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  /** The regular hirer's booking whose checks start from their last check (its own test). */
  const CARRIED = 'NB-H-1001';
  /** Starts new booking checks on the next provisional booking without any (a fresh draft each time). */
  async function startChecks(coordinator: TestAgent): Promise<string> {
    const checked = new Set(t.store.list('reviews').map((r) => r.subjectId));
    const fresh = t.store
      .list('bookings')
      .filter((x) => x.status === 'provisional' && x.ref !== CARRIED && !checked.has(x.id));
    for (const b of fresh) {
      const started = await coordinator.post('/reviews/start', { subjectType: 'booking', subjectId: b.id });
      if (started.status === 303) return String(started.headers.location);
    }
    throw new Error('no provisional booking left to check');
  }

  it('when booking checks are started, then their page is a task list of three sections, none started, with no form, no evidence and no check your answers yet', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const page = await coordinator.get(path);
    expect(page.status).to.equal(200);
    expect(taskList(page.text)).to.deep.equal(SECTIONS.map((title) => ({ title, status: 'Not started' })));
    expect(page.text).to.include('You have completed 0 of 3 sections.');
    expect(page.text).to.include(`href="${path}/section/2"`);
    expect(page.text).to.not.include('name="answer-H1"');
    expect(page.text).to.not.include('id="evidence"');
    expect(page.text).to.not.include(`href="${path}/check"`);
    // Until every section is completed, check your answers sends back to the list.
    const early = await coordinator.get(`${path}/check`);
    expect(early.status).to.equal(303);
    expect(early.headers.location).to.equal(path);
  });

  it('when one section is saved part-answered and come back to, then only its answers are in the draft, it is "In progress", and its page shows them again', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const id = path.split('/').pop() ?? '';
    const url = `${path}/section/1`;
    const page = await coordinator.get(url);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<h1 class="govuk-heading-l">ASK</h1>');
    for (const q of bookingDueDiligence.questions) {
      expect(page.text.includes(`name="answer-${q.id}"`), q.id).to.equal(q.section === 'ASK');
    }
    expect(page.text).to.not.include('id="evidence"');
    const form = {
      ...formFields(page.text, url),
      intent: 'save',
      'answer-H1': 'yes',
      'answer-H2': 'no',
      'comment-H2': 'Phone number does not answer',
    };
    const saved = await coordinator.post(url, form);
    expect(saved.status, errorList(saved.text)).to.equal(303);
    expect(saved.headers.location).to.equal(`${path}#sections`);
    const draft = t.store.get('reviews', id);
    expect(draft?.status).to.equal('draft');
    expect(draft?.answers.H1?.answer).to.equal('yes');
    expect(draft?.answers.H2).to.include({ answer: 'no', note: 'Phone number does not answer' });
    expect(draft?.answers.H3?.answer).to.equal(null);

    const list = await coordinator.get(path);
    expect(list.text).to.include('Your answers to ASK were saved as a draft');
    expect(taskList(list.text).map((s) => s.status)).to.deep.equal([
      'In progress',
      'Not started',
      'Not started',
    ]);
    const again = formFields((await coordinator.get(url)).text, url);
    expect(again['answer-H1']).to.equal('yes');
    expect(again['answer-H2']).to.equal('no');
    expect(again['comment-H2']).to.equal('Phone number does not answer');
    expect(again['answer-H3']).to.equal(undefined);
  });

  it('when "Save and continue" leaves a question of the section unanswered, then only that section’s problem is shown, every value is kept, and nothing is saved', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const id = path.split('/').pop() ?? '';
    const before = t.store.get('reviews', id);
    const url = `${path}/section/2`;
    const form: Record<string, string | string[]> = {
      ...formFields((await coordinator.get(url)).text, url),
      intent: 'continue',
    };
    for (const q of idsIn('CHECK')) {
      form[`answer-${q}`] = 'yes';
      form[`comment-${q}`] = `Checked ${q}`;
    }
    delete form['answer-H7'];
    const refused = await coordinator.post(url, form);
    expect(refused.status).to.equal(400);
    const errors = errorList(refused.text);
    expect(errors).to.include('Answer question H7');
    expect(errors.match(/<li>/g)?.length, errors.replace(/<[^>]*>/g, ' ')).to.equal(1);
    expect(keptFields(refused.text, url, form, ['intent'])).to.deep.equal([]);
    expect(t.store.get('reviews', id)?.version).to.equal(before?.version);
    expect(t.store.get('reviews', id)?.answers).to.deep.equal(before?.answers);
  });

  it('when a section of checks carried over from the hirer’s last check is sent with its ticks and one problem, then every tick and value comes back and nothing is saved', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const booking = t.store.list('bookings').find((b) => b.ref === CARRIED);
    expect(
      t.store.list('reviews').filter((r) => r.subjectId === booking?.id && r.status === 'draft'),
    ).to.deep.equal([]);
    const started = await coordinator.post('/reviews/start', {
      subjectType: 'booking',
      subjectId: booking?.id ?? '',
      from: 'last',
    });
    expect(started.status).to.equal(303);
    const path = String(started.headers.location);
    const id = path.split('/').pop() ?? '';
    const before = t.store.get('reviews', id);
    const list = await coordinator.get(path);
    expect(taskList(list.text).map((x) => x.status)).to.include('In progress');
    const url = `${path}/section/1`;
    const page = await coordinator.get(url);
    expect(page.text).to.include('name="confirm-H1"');
    const form: Record<string, string | string[]> = {
      ...formFields(page.text, url),
      intent: 'continue',
      'confirm-H1': 'yes',
      'confirm-H2': 'yes',
      confirmAll: 'yes',
      'comment-H1': 'Same booker as last time',
    };
    delete form['answer-H4'];
    const refused = await coordinator.post(url, form);
    expect(refused.status).to.equal(400);
    const errors = errorList(refused.text);
    expect(errors).to.include('Answer question H4');
    expect(errors.match(/<li>/g)?.length, errors.replace(/<[^>]*>/g, ' ')).to.equal(1);
    expect(keptFields(refused.text, url, form, ['intent'])).to.deep.equal([]);
    expect(t.store.get('reviews', id)?.version).to.equal(before?.version);
  });

  it('when every section is completed, then each shows "Completed", check your answers links each answer to its section, the notes from the last section are kept, and submit confirms', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const id = path.split('/').pop() ?? '';
    // Out of order: a section's answers merge with the others', never replacing them.
    for (const n of [2, 1]) {
      const res = await answerSection(coordinator, path, n);
      expect(res.status, errorList(res.text)).to.equal(303);
    }
    let list = await coordinator.get(path);
    expect(taskList(list.text).map((s) => s.status)).to.deep.equal(['Completed', 'Completed', 'Not started']);
    expect(list.text).to.not.include(`href="${path}/check"`);
    const last = await answerSection(coordinator, path, 3, 'continue', { notes: 'Spoke to the hirer twice' });
    expect(last.status, errorList(last.text)).to.equal(303);
    const draft = t.store.get('reviews', id);
    for (const q of bookingDueDiligence.questions)
      expect(draft?.answers[q.id]?.note, q.id).to.equal(`Checked ${q.id}`);
    expect(draft?.notes).to.equal('Spoke to the hirer twice');

    list = await coordinator.get(path);
    expect(taskList(list.text).map((s) => s.status)).to.deep.equal(['Completed', 'Completed', 'Completed']);
    expect(list.text).to.include('You have completed 3 of 3 sections.');
    expect(list.text).to.include(`href="${path}/check"`);
    const check = await coordinator.get(`${path}/check`);
    expect(check.status).to.equal(200);
    expect(check.text).to.include(`href="${path}/section/1#question-H14"`);
    expect(check.text).to.include(`href="${path}/section/2#question-H5"`);
    expect(check.text).to.include(`href="${path}/section/3#notes"`);
    expect(check.text).to.include('Spoke to the hirer twice');
    expect(check.text).to.include(`action="${path}/evidence`);
    const submitForm = formFields(check.text.slice(check.text.lastIndexOf('<form')), path);
    const submitted = await coordinator.post(path, { ...submitForm, intent: 'submit' });
    expect(submitted.status, errorList(submitted.text)).to.equal(303);
    expect(t.store.get('reviews', id)?.status).to.equal('submitted');
    // Submitted: no section to answer any more, and a section's old page changes nothing.
    const gone = await coordinator.get(`${path}/section/1`);
    expect(gone.status).to.equal(303);
    expect(gone.headers.location).to.equal(path);
  });

  it('when the same section is saved from two tabs, then the second (older) one gets "changed since you opened it" and changes nothing, and "Save my version" saves it over the latest', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const id = path.split('/').pop() ?? '';
    const url = `${path}/section/1`;
    const tabA = formFields((await coordinator.get(url)).text, url);
    const tabB = formFields((await coordinator.get(url)).text, url);
    const first = await coordinator.post(url, { ...tabA, intent: 'save', 'answer-H1': 'yes' });
    expect(first.status).to.equal(303);
    const savedVersion = t.store.get('reviews', id)?.version;
    const second = await coordinator.post(url, {
      ...tabB,
      intent: 'save',
      'answer-H1': 'no',
      'answer-H2': 'yes',
    });
    expect(second.status).to.equal(409);
    expect(second.text).to.include('This record changed since you opened it');
    const after = t.store.get('reviews', id);
    expect(after?.version).to.equal(savedVersion);
    expect(after?.answers.H1?.answer).to.equal('yes');
    expect(after?.answers.H2?.answer).to.equal(null);
    // The conflict page sends tab B's section again, as it was, over the latest version.
    const resend = formFields(second.text, url);
    const kept = await coordinator.post(url, resend);
    expect(kept.status, errorList(kept.text)).to.equal(303);
    expect(t.store.get('reviews', id)?.answers.H1?.answer).to.equal('no');
    expect(t.store.get('reviews', id)?.answers.H2?.answer).to.equal('yes');
  });

  it('when a second tab saves another section, then the older page of the first section is refused too, and nothing the first tab saved is lost', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const path = await startChecks(coordinator);
    const id = path.split('/').pop() ?? '';
    const stale = formFields((await coordinator.get(`${path}/section/1`)).text, `${path}/section/1`);
    const opened = t.store.get('reviews', id)?.answers.H1;
    expect((await answerSection(coordinator, path, 2)).status).to.equal(303);
    const refused = await coordinator.post(`${path}/section/1`, {
      ...stale,
      intent: 'save',
      'answer-H1': 'yes',
    });
    expect(refused.status).to.equal(409);
    const draft = t.store.get('reviews', id);
    expect(draft?.answers.H1).to.deep.equal(opened);
    for (const q of idsIn('CHECK')) expect(draft?.answers[q]?.answer, q).to.equal('yes');
  });

  it('when a checklist has no sections (a premises audit), then it stays on one page and has no section pages', async () => {
    const fran = await t.signIn('facilities@demo.test');
    const premises = t.store.list('premises').find((p) => p.ref === 'NB-011');
    const started = await fran.post('/reviews/start', {
      subjectType: 'premises',
      subjectId: premises?.id ?? '',
      from: 'blank',
    });
    const path = String(started.headers.location);
    const page = await fran.get(path);
    for (const q of premisesAudit.questions) expect(page.text).to.include(`name="answer-${q.id}"`);
    expect(page.text).to.not.include('govuk-task-list');
    expect((await fran.get(`${path}/section/1`)).status).to.equal(404);
  });
});
