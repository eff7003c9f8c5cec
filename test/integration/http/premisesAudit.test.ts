import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import { addDays, addMonths, formatDate, londonDate } from '../../../checks/londonDates.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

// The app's clock is the real one, so the demo is built relative to the real London date.
const TODAY = londonDate(new Date());
const ACTION_DUE = addDays(TODAY, 7);

describe('HTTP: premises and the Prevent premises audit', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ today: TODAY });
  });
  afterEach(() => t.close());

  it('when the premises form has bad values, then it re-renders with an error summary keeping what was typed', async () => {
    const a = await t.signIn('facilities@demo.test');
    const before = t.store.list('premises').length;
    const res = await a.post('/premises', {
      name: 'Oakfield Hall',
      ref: 'NB-001',
      postcode: 'not a postcode',
      risk: 'high',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('govuk-error-summary');
    expect(res.text).to.include('Premises NB-001 already exists');
    expect(res.text).to.include('Enter a real postcode');
    expect(res.text).to.include('Explain why the building is high risk');
    expect(res.text).to.include('value="Oakfield Hall"');
    expect(res.text).to.include('value="not a postcode"');
    expect(t.store.list('premises').length).to.equal(before);
  });

  it('when a facilities officer adds a building and audits it, then they see the outcome, the action and the next due date', async () => {
    const a = await t.signIn('facilities@demo.test');
    const created = await a.post('/premises', {
      name: 'Oakfield Hall',
      ref: 'NB-100',
      postcode: 'NB9 9ZZ',
      hireableSpace: 'yes',
      publicIt: 'no',
      risk: 'high',
      riskRationale: 'Late-night hires',
    });
    expect(created.status).to.equal(303);
    const page = created.headers.location as string;
    const show = await a.get(page);
    expect(show.text).to.include('Oakfield Hall');
    expect(show.text).to.include('This building has not been audited yet');
    const id = page.split('/').pop()!;

    const started = await a.post('/reviews/start', { subjectType: 'premises', subjectId: id, from: 'blank' });
    expect(started.status).to.equal(303);
    const reviewPath = started.headers.location as string;
    const form = await a.get(reviewPath);
    expect(form.text).to.include('P1. Is the building on the council');
    const version = groupOf(/name="version" value="(\d+)"/, form.text);

    // P3 = no makes P9 not apply; P7 (critical) = no makes it non-compliant.
    const answers: Record<string, string> = { version, intent: 'submit' };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    answers['answer-P3'] = 'no';
    answers['answer-P7'] = 'no';
    answers['answer-P12'] = 'na';
    answers['comment-P12'] = 'Run by the council itself';
    answers['answer-P13'] = 'na';
    answers['comment-P13'] = 'First audit';
    const submitted = await a.post(reviewPath, answers);
    expect(submitted.status, /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(submitted.text)?.[0]).to.equal(
      303,
    );
    const result = await a.get(reviewPath);
    expect(result.text).to.include('Non-compliant');
    expect(result.text).to.include(formatDate(addMonths(TODAY, 6))); // high risk: 6 months
    expect(result.text).to.include('Raise an action');

    const review = t.store.get('reviews', reviewPath.split('/').pop()!)!;
    expect(review.status).to.equal('submitted');
    expect(review.outcome).to.equal('non-compliant');
    expect(review.answers.P9?.answer).to.equal('yes');

    const action = await a.post(`${reviewPath}/actions`, {
      questionId: 'P7',
      description: 'Brief the booking volunteers',
      ownerEmail: 'facilities@demo.test',
      'due-day': String(Number(ACTION_DUE.slice(8, 10))),
      'due-month': String(Number(ACTION_DUE.slice(5, 7))),
      'due-year': ACTION_DUE.slice(0, 4),
    });
    expect(action.status).to.equal(303);
    const after = await a.get(reviewPath);
    expect(after.text).to.include('Brief the booking volunteers');
    expect(after.text).to.include(formatDate(ACTION_DUE));

    // The same submit sent again (the back button): the same submission, so it changes nothing and goes on
    // as the first did (issue 19), instead of an error.
    const resubmit = await a.post(reviewPath, answers);
    expect(resubmit.status).to.equal(303);
    expect(resubmit.headers.location).to.equal(submitted.headers.location);
    // Different answers from that old form are a change to a submitted review: refused, not dropped silently.
    const changed = await a.post(reviewPath, { ...answers, 'answer-P7': 'yes' });
    expect(changed.status).to.equal(400);
    expect(changed.text).to.include('This review was submitted and cannot be changed');
    expect(t.store.get('reviews', review.id)!.version).to.equal(review.version);
  });

  it('when a review is submitted with questions unanswered or N/A without a reason, then the error summary lists them and nothing is final', async () => {
    const a = await t.signIn('facilities@demo.test');
    const id = t.store.list('premises').find((p) => p.ref === 'NB-008')!.id;
    const started = await a.post('/reviews/start', { subjectType: 'premises', subjectId: id, from: 'blank' });
    const reviewPath = started.headers.location as string;
    const version = groupOf(/name="version" value="(\d+)"/, (await a.get(reviewPath)).text);
    const res = await a.post(reviewPath, {
      version,
      intent: 'submit',
      'answer-P1': 'yes',
      'answer-P10': 'na',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('govuk-error-summary');
    expect(res.text).to.include('href="#answer-P2"');
    expect(res.text).to.include('Give a reason why question P10 is not applicable');
    expect(t.store.get('reviews', reviewPath.split('/').pop()!)!.status).to.equal('draft');
  });

  it('when starting from the last audit, then answers are carried over to confirm and must be confirmed', async () => {
    const a = await t.signIn('facilities@demo.test');
    const id = t.store.list('premises').find((p) => p.ref === 'NB-001')!.id;
    const started = await a.post('/reviews/start', { subjectType: 'premises', subjectId: id, from: 'last' });
    const reviewPath = started.headers.location as string;
    const form = await a.get(reviewPath);
    expect(form.text).to.include('Confirm this answer to P1 from last review (Yes)');
    const version = groupOf(/name="version" value="(\d+)"/, form.text);
    const answers: Record<string, string> = { version, intent: 'submit' };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    expect(form.text).to.include('13 to confirm');
    const refused = await a.post(reviewPath, answers);
    expect(refused.status).to.equal(400);
    expect(refused.text).to.include('Confirm or change the answer to question P1 from last review');
    answers['confirm-P1'] = 'yes';
    const partly = await a.post(reviewPath, answers);
    expect(partly.status).to.equal(400);
    expect(partly.text).to.not.include('Confirm or change the answer to question P1 from last review');
    expect(partly.text).to.include('Confirm or change the answer to question P2 from last review');
    answers.confirmAll = 'yes';
    const ok = await a.post(reviewPath, answers);
    expect(ok.status).to.equal(303);
  });

  it('when the coordinator opens the dashboard and the API, then every premises flag is there', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const api = await c.get(`/api/flags?as_of=${TODAY}`);
    expect(api.status).to.equal(200);
    const rules = new Set((api.body as { rule: string }[]).map((f) => f.rule));
    for (const r of [
      'review-overdue',
      'review-due-soon',
      'non-compliant',
      'partially-compliant',
      'action-overdue',
    ]) {
      expect(rules.has(r), r).to.equal(true);
    }
    const dash = await c.get('/');
    expect(dash.text).to.include('Hillcrest Scout Hut');
    expect(dash.text).to.include('No premises audit on record');
    const filtered = await c.get('/?rule=action-overdue');
    expect(filtered.text).to.include('Action overdue since');
    expect(filtered.text).to.not.include('No premises audit on record');
    expect((await c.get('/api/flags?as_of=2026-13-01')).status).to.equal(400);
  });
});
