import { formFields, keptFields } from '../../support/formFields.js';
import { expect } from 'chai';
import { groupOf } from '../../support/pageParts.js';
import { addMonths, formatDate, londonDate } from '../../../checks/londonDates.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const TODAY = londonDate(new Date());
const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const dateFields = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year };
};

describe('HTTP: actions offered for the answers of “no” before the confirmation', () => {
  let t: TestApp;
  let facilities: TestAgent;

  before(async () => {
    t = await startTestApp({ today: TODAY });
    facilities = await t.signIn('facilities@demo.test');
  });
  after(() => t.close());

  /** A new building's first audit, started: its path and the submit form with every answer "yes". */
  async function startAudit(ref: string) {
    const created = await facilities.post('/premises', { name: `Hall ${ref}`, ref, risk: 'low' });
    const premisesId = (created.headers.location as string).split('/').pop()!;
    const started = await facilities.post('/reviews/start', {
      subjectType: 'premises',
      subjectId: premisesId,
    });
    const path = started.headers.location as string;
    const form = await facilities.get(path);
    const answers: Record<string, string> = {
      version: groupOf(/name="version" value="(\d+)"/, form.text),
      intent: 'submit',
      'comment-P12': 'Council run',
      'comment-P13': 'First audit',
    };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    Object.assign(answers, { 'answer-P12': 'na', 'answer-P13': 'na' });
    return { path, premisesId, answers };
  }

  /** A new building audited with P4 and P10 (not critical) answered "no": partially compliant. */
  async function submitAudit(ref: string): Promise<{ path: string; premisesId: string }> {
    const { path, premisesId, answers } = await startAudit(ref);
    const res = await facilities.post(path, { ...answers, 'answer-P4': 'no', 'answer-P10': 'no' });
    expect(res.status, errorList(res.text)).to.equal(303);
    expect(res.headers.location).to.equal(`${path}/follow-up`);
    return { path, premisesId };
  }

  const partialFlag = async (premisesId: string) =>
    ((await facilities.get('/api/flags')).body as Flag[]).find(
      (f) => f.rule === 'partially-compliant' && f.subject.id === premisesId,
    )!;

  it('when an audit with two answers of “no” is submitted, then the next page offers an action for each, owner and due date filled in, before the confirmation', async () => {
    const { path } = await submitAudit('NB-171');
    const page = await facilities.get(`${path}/follow-up`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Raise actions for the answers of “no”');
    expect(page.text).to.include('Raise an action for P4').and.to.include('Raise an action for P10');
    expect(page.text).to.include('value="facilities@demo.test"');
    const due = addMonths(TODAY, 1);
    expect(page.text).to.include(`name="due-P4-year" type="text" value="${due.slice(0, 4)}"`);
  });

  it('when one action is raised and the other unticked, then only it is stored, the review page confirms it, and the flag does not say "no action recorded"', async () => {
    const { path, premisesId } = await submitAudit('NB-172');
    const due = addMonths(TODAY, 2);
    const res = await facilities.post(`${path}/follow-up`, {
      intent: 'raise',
      'raise-P4': 'yes',
      'description-P4': 'Record the building’s Prevent risk rating',
      'owner-P4': 'Site.Manager@Northbrook.test',
      ...dateFields('due-P4', due),
      'description-P10': 'Put right: posters',
      'owner-P10': '',
    });
    expect(res.status, errorList(res.text)).to.equal(303);
    expect(res.headers.location).to.equal(`${path}/confirmation`);
    const confirmation = await facilities.get(`${path}/confirmation`);
    expect(confirmation.text).to.include('govuk-panel--confirmation');
    expect(confirmation.text).to.include('Premises audit submitted');
    expect(confirmation.text).to.include('One action was raised');
    expect(confirmation.text).to.include(
      `Record the building’s Prevent risk rating: due ${formatDate(due)}, owner site.manager@northbrook.test`,
    );
    const reviewId = path.split('/').pop()!;
    const actions = t.store.list('actions').filter((a) => a.reviewId === reviewId);
    expect(actions.map((a) => [a.questionId, a.description, a.ownerEmail, a.dueOn, a.status])).to.deep.equal([
      ['P4', 'Record the building’s Prevent risk rating', 'site.manager@northbrook.test', due, 'open'],
    ]);
    expect((await partialFlag(premisesId)).message).to.equal(
      `Latest premises audit (${formatDate(TODAY)}) found items needing action`,
    );
  });

  it('when the person continues without raising actions, then the review is confirmed and its flag says "no action recorded"', async () => {
    const { path, premisesId } = await submitAudit('NB-173');
    const res = await facilities.post(`${path}/follow-up`, { intent: 'skip' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${path}/confirmation`);
    const confirmation = (await facilities.get(`${path}/confirmation`)).text;
    expect(confirmation).to.include('Premises audit submitted');
    expect(confirmation).to.include('The answers of “no” have no actions yet');
    expect((await partialFlag(premisesId)).message).to.equal(
      `Latest premises audit (${formatDate(TODAY)}) found items needing action; no action recorded`,
    );
    // The dashboard shows the same words.
    expect((await facilities.get('/')).text).to.include('found items needing action; no action recorded');
  });

  it('when a ticked action lacks a description, has a bad owner address or date, or too long a text, or nothing is ticked, then 400 with each error, what was typed kept, and nothing stored', async () => {
    const { path } = await submitAudit('NB-174');
    const before = JSON.stringify(t.store.data);
    const bad = await facilities.post(`${path}/follow-up`, {
      intent: 'raise',
      'raise-P4': 'yes',
      'description-P4': '',
      'owner-P4': 'not an email',
      'due-P4-day': '31',
      'due-P4-month': '2',
      'due-P4-year': '2027',
    });
    expect(bad.status).to.equal(400);
    const errors = errorList(bad.text);
    expect(errors).to.include('Describe the action for P4');
    expect(errors).to.include('Enter the owner’s email address for P4 in the correct format');
    expect(errors).to.include('A due date for P4 must be a real date');
    expect(bad.text).to.include('value="not an email"');
    // Longer than free text may be (5,000 characters): refused whole, naming the field.
    const long = await facilities.post(`${path}/follow-up`, {
      intent: 'raise',
      'raise-P10': 'yes',
      'description-P10': 'x'.repeat(5001),
      ...dateFields('due-P10', addMonths(TODAY, 1)),
    });
    expect(long.status).to.equal(400);
    expect(long.text).to.include('5,000 characters or fewer');
    const none = await facilities.post(`${path}/follow-up`, { intent: 'raise' });
    expect(none.status).to.equal(400);
    expect(errorList(none.text)).to.include(
      'Select the answers to raise an action for, or continue without raising actions',
    );
    expect(JSON.stringify(t.store.data)).to.equal(before);
  });

  it('when the step is asked for on a draft, then it goes back to the draft’s form and raises nothing', async () => {
    const { path } = await startAudit('NB-176');
    const before = t.store.list('actions').length;
    expect((await facilities.get(`${path}/follow-up`)).headers.location).to.equal(path);
    const res = await facilities.post(`${path}/follow-up`, { intent: 'raise', 'raise-P4': 'yes' });
    expect(res.headers.location).to.equal(path);
    expect(t.store.list('actions').length).to.equal(before);
  });

  it('when an audit has no answer of “no”, then submitting goes straight to the confirmation', async () => {
    const { path, answers } = await startAudit('NB-175');
    const res = await facilities.post(path, answers);
    expect(res.headers.location).to.equal(`${path}/confirmation`);
    const confirmation = (await facilities.get(`${path}/confirmation`)).text;
    expect(confirmation).to.include('Premises audit submitted');
    expect(confirmation).to.include('Outcome: <strong>Compliant</strong>');
  });
  it('when two actions are sent and one has an impossible due date, then every description, owner, date and tick comes back (issue 20)', async () => {
    const { path } = await submitAudit('NB-177');
    const page = await facilities.get(`${path}/follow-up`);
    const posted: Record<string, string | string[]> = {
      ...formFields(page.text, `${path}/follow-up`),
      intent: 'raise',
      'description-P4': 'Record the risk rating',
      'owner-P4': 'site.manager@northbrook.test',
      ...dateFields('due-P4', addMonths(TODAY, 2)),
      'description-P10': 'Put the posters up',
      'owner-P10': 'caretaker@northbrook.test',
      'due-P10-day': '31',
      'due-P10-month': '2',
      'due-P10-year': '2027',
    };
    const res = await facilities.post(`${path}/follow-up`, posted);
    expect(res.status).to.equal(400);
    expect(errorList(res.text)).to.include('A due date for P10 must be a real date');
    expect(keptFields(res.text, `${path}/follow-up`, posted, ['due-P10-day'])).to.deep.equal([]);
  });
});
