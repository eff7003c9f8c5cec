import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import { addDays, formatDate, londonDate } from '../../../checks/londonDates.js';
import { getTemplate } from '../../../checks/templates/index.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const TODAY = londonDate(new Date());

/** Every question of a template answered "yes", as the review form posts it. */
function allYes(templateId: string, extra: Record<string, string> = {}) {
  const form: Record<string, string> = {};
  for (const q of getTemplate(templateId).questions) form[`answer-${q.id}`] = 'yes';
  return { ...form, ...extra };
}

const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
const versionOf = (html: string) => groupOf(/name="version" value="(\d+)"/, html);

async function start(agent: TestAgent, subjectType: string, subjectId: string, from: 'last' | 'blank') {
  const res = await agent.post('/reviews/start', { subjectType, subjectId, from });
  expect(res.status).to.equal(303);
  return res.headers.location as string;
}

describe('HTTP: answers checked against the records', () => {
  let t: TestApp;
  let facilities: TestAgent;
  let education: TestAgent;
  let coordinator: TestAgent;
  const schoolId = (name: string) => t.store.list('schools').find((s) => s.name === name)!.id;
  const libraryId = (name: string) => t.store.list('libraries').find((l) => l.name === name)!.id;

  before(async () => {
    t = await startTestApp({ today: TODAY });
    facilities = await t.signIn('facilities@demo.test');
    education = await t.signIn('education@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  describe('premises audit, P13 against the actions of the last audit', () => {
    let premisesId: string;
    let actionDescription: string;

    before(async () => {
      // A new building's first audit: P7 "no" with an action raised on it, P13 "yes".
      const created = await facilities.post('/premises', {
        name: 'Oakfield Hall',
        ref: 'NB-160',
        risk: 'low',
      });
      premisesId = (created.headers.location as string).split('/').pop()!;
      const path = await start(facilities, 'premises', premisesId, 'blank');
      const form = await facilities.get(path);
      const res = await facilities.post(path, {
        ...allYes('premises-audit', { 'answer-P7': 'no', 'answer-P12': 'na', 'comment-P12': 'Council run' }),
        version: versionOf(form.text),
        intent: 'submit',
      });
      expect(res.status, errorList(res.text)).to.equal(303);
      actionDescription = 'Book the venue-hire briefing for the Oakfield volunteers';
      const raised = await facilities.post(`${path}/actions`, {
        questionId: 'P7',
        description: actionDescription,
        ownerEmail: 'facilities@demo.test',
        'due-day': String(Number(addDays(TODAY, 30).slice(8))),
        'due-month': String(Number(addDays(TODAY, 30).slice(5, 7))),
        'due-year': addDays(TODAY, 30).slice(0, 4),
      });
      expect(raised.status, errorList(raised.text)).to.equal(303);
    });

    it('when P13 is carried over as "yes" while an action from the last audit is open, then "confirm all" is refused naming the action, and nothing is submitted', async () => {
      const path = await start(facilities, 'premises', premisesId, 'last');
      const review = t.store.get('reviews', path.split('/').pop()!)!;
      expect(review.answers.P13).to.deep.include({ answer: 'yes', toConfirm: true });

      const form = await facilities.get(path);
      expect(form.text).to.include(
        `The records say otherwise: From the last audit, “${actionDescription}” is still open (due ${formatDate(addDays(TODAY, 30))})`,
      );
      expect(form.text).to.include('besides the 1 above');

      const posted = {
        ...allYes('premises-audit', { 'answer-P7': 'no', 'answer-P12': 'na', 'comment-P12': 'Council run' }),
      };
      const res = await facilities.post(path, {
        ...posted,
        confirmAll: 'yes',
        version: versionOf(form.text),
        intent: 'submit',
      });
      expect(res.status).to.equal(400);
      expect(errorList(res.text)).to.include(
        `P13: the answer carried over is “Yes”, but the records say otherwise: From the last audit, “${actionDescription}” is still open`,
      );
      expect(t.store.get('reviews', review.id)!.status).to.equal('draft');

      // Changed to "no", the same form goes through.
      const again = await facilities.get(path);
      const ok = await facilities.post(path, {
        ...posted,
        'answer-P13': 'no',
        confirmAll: 'yes',
        version: versionOf(again.text),
        intent: 'submit',
      });
      expect(ok.status, errorList(ok.text)).to.equal(303);
      expect(t.store.get('reviews', review.id)!.status).to.equal('submitted');
    });
  });

  describe('school audit, lead and training from the records', () => {
    it('when a school audit starts, then S1 and S2 are filled in from the lead and training records, each to confirm', async () => {
      const trained = await start(education, 'school', schoolId('Northbrook Academy'), 'blank');
      const lapsed = await start(education, 'school', schoolId('Hillcrest All-Through School'), 'last');
      const none = await start(education, 'school', schoolId('Riverside High School'), 'blank');
      const answers = (path: string) => t.store.get('reviews', path.split('/').pop()!)!.answers;
      const pick = (path: string) => [answers(path).S1?.answer, answers(path).S2?.answer];
      expect(pick(trained)).to.deep.equal(['yes', 'yes']);
      expect(pick(lapsed)).to.deep.equal(['yes', 'no']);
      expect(pick(none)).to.deep.equal(['no', 'no']);
      expect(answers(trained).S1).to.deep.include({ toConfirm: true, from: 'records' });
      const page = await education.get(lapsed);
      expect(page.text).to.include('Confirm this answer to S2 filled in from the records (No)');
      expect(page.text).to.match(
        /From the records: No current Prevent lead has Prevent training in the last 2 years on record \(the latest was on \d+ \w+ \d{4}\)/,
      );
    });

    it('when S2 is answered "yes" though the records show the training lapsed, then submitting is refused until a note says why', async () => {
      const path = await start(education, 'school', schoolId('Hillcrest All-Through School'), 'last');
      const form = await education.get(path);
      const [year = '', month = '', day = ''] = TODAY.split('-');
      const fields = {
        ...allYes('school-audit'),
        confirmAll: 'yes',
        'attest-name': 'Gareth Lloyd',
        'attest-role': 'Designated safeguarding lead',
        'attest-date-day': day,
        'attest-date-month': month,
        'attest-date-year': year,
        intent: 'submit',
      };
      const res = await education.post(path, { ...fields, version: versionOf(form.text) });
      expect(res.status).to.equal(400);
      expect(errorList(res.text)).to.include(
        'S2: you answered “Yes”, but the records say otherwise: No current Prevent lead has Prevent training in the last 2 years on record',
      );
      const again = await education.get(path);
      const ok = await education.post(path, {
        ...fields,
        'comment-S2': 'Refresher done last week; certificate to follow',
        version: versionOf(again.text),
      });
      expect(ok.status, errorList(ok.text)).to.equal(303);
    });
  });

  describe('library attestation, against the filtering profile', () => {
    it('when a library’s provider changed, then its attestation form says that is why it is due', async () => {
      const path = await start(coordinator, 'library', libraryId('Westfield Library'), 'last');
      const page = await coordinator.get(path);
      expect(page.text).to.match(
        /Due because the filtering provider changed from Northbrook ICT Shared Service to Smoothwall on \d+ \w+ \d{4}\./,
      );
    });

    it('when L2 is answered "yes" for a library whose profile has no provider, then the form shows the contradiction next to it', async () => {
      const path = await start(coordinator, 'library', libraryId('Eastgate Library'), 'blank');
      const form = await coordinator.get(path);
      expect(form.text).to.include(
        'Due because there is no library internet-access attestation on record yet.',
      );
      const saved = await coordinator.post(path, {
        'answer-L2': 'yes',
        'answer-L5': 'yes',
        version: versionOf(form.text),
        intent: 'save',
      });
      expect(saved.status).to.equal(303);
      const page = await coordinator.get(path);
      expect(page.text).to.include(
        'The records say otherwise: The filtering profile records no filtering provider. Change the answer',
      );
    });
  });
});
