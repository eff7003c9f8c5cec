import { expect } from 'chai';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { differences } from '../../support/conflictPage.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

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
    expect(differences(res.text).get('Name of the building')).to.deep.equal({
      yours: 'Fran’s new name',
      theirs: 'Casey’s new name',
    });
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
    expect(differences(res.text).get('Notes')).to.deep.equal({
      yours: 'Fran visited the site',
      theirs: 'Casey checked the hire terms',
    });
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

  describe('the conflict page speaks in the form’s words', () => {
    it('when a premises save conflicts, then only the fields that differ are listed, by their labels, with no internal fields', async () => {
      const p = t.store.list('premises')[0];
      const opened = versionOn((await fran.get(`/premises/${p.id}/edit`)).text);
      const form = (riskRationale: string) => ({
        ref: p.ref,
        name: p.name,
        risk: 'high',
        riskRationale,
        siteManagerEmail: '',
        version: opened,
      });
      expect(
        (await casey.post(`/premises/${p.id}`, form('Casey: hired by a group of concern'))).status,
      ).to.equal(303);
      const res = await fran.post(`/premises/${p.id}`, form('Fran: near a school'));
      expect(res.status).to.equal(409);
      const rows = differences(res.text);
      expect([...rows.keys()]).to.deep.equal(['Why this rating']);
      expect(rows.get('Why this rating')).to.deep.equal({
        yours: 'Fran: near a school',
        theirs: 'Casey: hired by a group of concern',
      });
      expect(res.text).to.not.match(/riskRationale<|siteManagerEmail<|createdAt|updatedAt|>version</);
      expect(res.text).to.match(/last saved \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)/);
    });

    it('when a review draft save conflicts, then the differing questions are listed as the form asked them, with the answers and notes in words', async () => {
      const premises = t.store.list('premises')[2];
      const start = await fran.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
      const path = String(start.headers.location);
      const opened = versionOn((await fran.get(path)).text);
      await casey.post(path, {
        version: opened,
        'answer-P1': 'yes',
        'comment-P1': 'On the register',
        'answer-P2': 'yes',
        notes: 'Casey',
      });
      const res = await fran.post(path, {
        version: opened,
        'answer-P1': 'no',
        'comment-P1': 'Not yet',
        'answer-P2': 'yes',
        notes: 'Fran',
      });
      expect(res.status).to.equal(409);
      const rows = differences(res.text);
      const p1 = [...rows.keys()].find((k) => k.startsWith('P1. Is the building on the council'));
      expect(p1, 'question P1 labelled with its text').to.not.equal(undefined);
      expect(rows.get(p1 ?? '')).to.deep.equal({ yours: 'No — Not yet', theirs: 'Yes — On the register' });
      expect(
        [...rows.keys()].some((k) => k.startsWith('P2.')),
        'P2 is the same on both',
      ).to.equal(false);
      expect(rows.get('Notes')).to.deep.equal({ yours: 'Fran', theirs: 'Casey' });
      expect(res.text).to.not.match(/answer-P1<|comment-P1<|templateId|subjectId/);
    });
  });

  describe('a form sent without its version', () => {
    const MESSAGE = 'The form was sent without the version of the record it was opened at';

    it('when a premises edit, a review draft or a booking decision is sent with no version (or a blank or made-up one), then each answers 400 saying so and nothing is written', async () => {
      const p = t.store.list('premises')[0];
      const start = await fran.post('/reviews/start', { subjectType: 'premises', subjectId: p.id });
      const reviewPath = String(start.headers.location);
      const booking = t.store.list('bookings').find((b) => b.status === 'provisional')!;
      const sends: [string, Record<string, string>][] = [
        [`/premises/${p.id}`, { ref: p.ref, name: 'Renamed without a version' }],
        [`/premises/${p.id}`, { ref: p.ref, name: 'Renamed with a blank version', version: '' }],
        [`/premises/${p.id}`, { ref: p.ref, name: 'Renamed with version zero', version: '0' }],
        [`/premises/${p.id}`, { ref: p.ref, name: 'Renamed with a word', version: 'latest' }],
        [reviewPath, { notes: 'Saved without a version', 'answer-P1': 'no' }],
        [`/bookings/${booking.id}/decision`, { decision: 'cancelled', rationale: 'Withdrawn' }],
      ];
      for (const [path, form] of sends) {
        const auditBefore = t.store.data.meta.auditSeq;
        const agent = path.includes('/decision') ? casey : fran;
        const res = await agent.post(path, form);
        expect(res.status, `${path} ${JSON.stringify(form)}`).to.equal(400);
        expect(res.text).to.include(MESSAGE);
        expect(res.text).to.not.include('changed since you opened it');
        expect(t.store.data.meta.auditSeq, `${path}: nothing written`).to.equal(auditBefore);
      }
      expect(t.store.get('premises', p.id)!.name).to.equal(p.name);
      expect(t.store.get('reviews', reviewPath.split('/').pop()!)!.notes).to.not.equal(
        'Saved without a version',
      );
      expect(t.store.get('bookings', booking.id)!.status).to.equal('provisional');
    });

    it('when the same forms are sent with the version they were opened at, then they save (the check is on the version, not the form)', async () => {
      const p = t.store.list('premises')[0];
      const res = await fran.post(`/premises/${p.id}`, {
        ref: p.ref,
        name: 'Renamed properly',
        version: String(p.version),
      });
      expect(res.status).to.equal(303);
      expect(t.store.get('premises', p.id)!.name).to.equal('Renamed properly');
    });
  });
});
