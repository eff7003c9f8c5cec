import { expect } from 'chai';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

/** The two summary cards of the conflict page: what this user tried, and what is saved. */
function cards(html: string): { yours: string; theirs: string } {
  const yours = html.indexOf('Your changes (not saved)');
  const theirs = html.indexOf('Latest saved version');
  expect(yours, 'the page shows your changes').to.be.greaterThan(0);
  expect(theirs, 'the page shows the latest saved version').to.be.greaterThan(yours);
  return { yours: html.slice(yours, theirs), theirs: html.slice(theirs) };
}

describe('Security: saving over a newer version', () => {
  let t: TestApp;
  let fran: TestAgent;
  let casey: TestAgent;
  beforeEach(async () => {
    t = await startTestApp();
    fran = await t.signIn('facilities@demo.test');
    casey = await t.signIn('coordinator@demo.test');
  });
  afterEach(() => t.close());

  it('when two people edit the same premises, then the second save is refused with both versions shown and the first kept', async () => {
    const p = t.store.list('premises')[0];
    const form = (name: string, version: string) => ({
      ref: p.ref,
      name,
      postcode: p.postcode ?? '',
      version,
    });
    const opened = versionOn((await fran.get(`/premises/${p.id}/edit`)).text);
    expect(versionOn((await casey.get(`/premises/${p.id}/edit`)).text)).to.equal(opened);

    expect((await casey.post(`/premises/${p.id}`, form('Casey’s new name', opened))).status).to.equal(303);
    const auditBefore = t.store.data.meta.auditSeq;
    const res = await fran.post(`/premises/${p.id}`, form('Fran’s new name', opened));

    expect(res.status).to.equal(409);
    expect(res.text).to.include('<h1 class="govuk-heading-l">This record changed since you opened it</h1>');
    expect(res.text).to.include('your changes have not been saved');
    const { yours, theirs } = cards(res.text);
    expect(yours).to.include('Fran’s new name');
    expect(theirs).to.include('Casey’s new name');
    expect(yours).to.include('Different');
    const saved = t.store.get('premises', p.id)!;
    expect(saved.name).to.equal('Casey’s new name');
    expect(saved.version).to.equal(Number(opened) + 1);
    expect(t.store.data.meta.auditSeq, 'nothing was written').to.equal(auditBefore);
  });

  it('when two people save the same draft review, then the second save is refused with both shown and the first answers kept', async () => {
    const premises = t.store.list('premises')[0];
    const start = await fran.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
    const path = String(start.headers.location);
    const opened = versionOn((await fran.get(path)).text);
    expect(versionOn((await casey.get(path)).text)).to.equal(opened);

    const caseySaved = await casey.post(path, {
      version: opened,
      notes: 'Casey checked the hire terms',
      'answer-P1': 'yes',
    });
    expect(caseySaved.status).to.equal(303);
    const auditBefore = t.store.data.meta.auditSeq;
    const res = await fran.post(path, { version: opened, notes: 'Fran visited the site', 'answer-P1': 'no' });

    expect(res.status).to.equal(409);
    expect(res.text).to.include('This record changed since you opened it');
    const { yours, theirs } = cards(res.text);
    expect(yours).to.include('Fran visited the site');
    expect(theirs).to.include('Casey checked the hire terms');
    const review = t.store.get('reviews', path.split('/').pop()!)!;
    expect(review.notes).to.equal('Casey checked the hire terms');
    expect(review.answers.P1.answer).to.equal('yes');
    expect(t.store.data.meta.auditSeq).to.equal(auditBefore);
  });

  it('when a review is submitted from a form older than the saved draft, then it is refused and stays a draft', async () => {
    const premises = t.store.list('premises')[1];
    const start = await fran.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
    const path = String(start.headers.location);
    const opened = versionOn((await fran.get(path)).text);
    await casey.post(path, { version: opened, notes: 'Newer draft' });
    const answers: Record<string, string> = { version: opened, intent: 'submit' };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    const res = await fran.post(path, answers);
    expect(res.status).to.equal(409);
    const review = t.store.get('reviews', path.split('/').pop()!)!;
    expect(review.status).to.equal('draft');
    expect(review.notes).to.equal('Newer draft');
  });
});
