import { locationOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp.js';

const QUESTIONS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13'];

describe('HTTP: the review form’s reason or note field', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  async function startAudit(ref: string) {
    const a = await t.signIn('facilities@demo.test');
    const p = t.store.list('premises').find((x) => x.ref === ref)!;
    const res = await a.post('/reviews/start', { subjectType: 'premises', subjectId: p.id, from: 'blank' });
    expect(res.status).to.equal(303);
    const id = locationOf(res).split('/').pop()!;
    return { a, id, version: String(t.store.get('reviews', id)!.version) };
  }

  it('when "not applicable" is chosen with a reason typed in the question’s field, then the review submits and keeps the reason', async () => {
    const { a, id, version } = await startAudit('NB-011');
    const form: Record<string, string> = { version, intent: 'submit' };
    for (const q of QUESTIONS) form[`answer-${q}`] = 'yes';
    form['answer-P13'] = 'na';
    form['comment-P13'] = 'First audit, so no earlier actions';
    form['answer-P4'] = 'no';
    form['comment-P4'] = 'Rating not yet recorded';
    const res = await a.post(`/reviews/${id}`, form);
    expect(res.status).to.equal(303);
    const r = t.store.get('reviews', id)!;
    expect(r.status).to.equal('submitted');
    expect(r.answers.P13).to.include({
      answer: 'na',
      reason: 'First audit, so no earlier actions',
      note: null,
    });
    expect(r.answers.P4).to.include({ answer: 'no', reason: null, note: 'Rating not yet recorded' });
  });

  it('when "not applicable" is chosen with the field empty, then submitting is refused asking for a reason', async () => {
    const { a, id, version } = await startAudit('NB-008');
    const form: Record<string, string> = { version, intent: 'submit' };
    for (const q of QUESTIONS) form[`answer-${q}`] = 'yes';
    form['answer-P13'] = 'na';
    const res = await a.post(`/reviews/${id}`, form);
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Give a reason why question P13 is not applicable');
    expect(t.store.get('reviews', id)!.status).to.equal('draft');
  });
});
