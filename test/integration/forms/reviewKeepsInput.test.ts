import { expect } from 'chai';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { formFields, keptFields } from '../../support/formFields.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

/** Issue 20, item 2: a validation error on a review keeps every answer, note and tick as the person left it. */
describe('HTTP: a review form with one bad field keeps everything else', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('when an audit started from the last one is submitted with every answer confirmed but one N/A without a reason, then every tick, answer and note comes back, and the page posted back with the reason added submits', async () => {
    const fran = await t.signIn('facilities@demo.test');
    const premises = t.store.list('premises').find((p) => p.ref === 'NB-001');
    if (!premises) throw new Error('no demo premises NB-001');
    const started = await fran.post('/reviews/start', {
      subjectType: 'premises',
      subjectId: premises.id,
      from: 'last',
    });
    const path = String(started.headers.location);
    const page = await fran.get(path);
    const form = formFields(page.text, path);
    const posted: Record<string, string | string[]> = { ...form, intent: 'submit' };
    for (const q of premisesAudit.questions) {
      posted[`answer-${q.id}`] = 'yes';
      posted[`comment-${q.id}`] = `Checked ${q.id} on site`;
    }
    posted['confirm-P1'] = 'yes';
    posted['confirm-P2'] = 'yes';
    posted.confirmAll = 'yes';
    posted.notes = 'Walked round with the caretaker';
    // The one bad field: "not applicable" with its reason left empty.
    posted['answer-P10'] = 'na';
    posted['comment-P10'] = '';

    const refused = await fran.post(path, posted);
    expect(refused.status).to.equal(400);
    const summary = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(refused.text)?.[0] ?? '';
    expect(summary).to.include('Give a reason why question P10 is not applicable');
    expect(summary.match(/<li>/g)?.length, summary).to.equal(1);
    expect(keptFields(refused.text, path, posted, ['comment-P10'])).to.deep.equal([]);

    const again = formFields(refused.text, path);
    again['comment-P10'] = 'No hirers use the hall at night';
    const submitted = await fran.post(path, { ...again, intent: 'submit' });
    expect(submitted.status, /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(submitted.text)?.[0]).to.equal(
      303,
    );
    const review = t.store.get('reviews', path.split('/').pop() ?? '');
    expect(review?.status).to.equal('submitted');
    expect(review?.notes).to.equal('Walked round with the caretaker');
    expect(review?.answers.P10).to.include({ answer: 'na', reason: 'No hirers use the hall at night' });
    expect(review?.answers.P3).to.include({ answer: 'yes', note: 'Checked P3 on site', toConfirm: false });
  });
});
