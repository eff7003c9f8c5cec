import { expect } from 'chai';
import request from 'supertest';
import { addDays, addMonths } from '../../../checks/londonDates.js';
import { binaryBody, type TestAgent, type TestApp, startTestApp } from '../../support/testApp.js';

const dateParts = (prefix: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year,
  };
};

describe('HTTP: schools, Prevent leads and training', () => {
  let t: TestApp;
  let education: TestAgent;
  let today: string;
  before(async () => {
    t = await startTestApp();
    education = await t.signIn('education@demo.test');
    today = t.services.schools.today();
  });
  after(() => t.close());

  const schoolByUrn = (urn: string) => {
    const s = t.store.list('schools').find((x) => x.urn === urn);
    if (!s) throw new Error(`no demo school ${urn}`);
    return s;
  };
  const rulesFor = (urn: string) =>
    t.services.flags
      .all(today)
      .filter((f) => f.subject.type === 'school' && f.subject.ref === urn)
      .map((f) => f.rule)
      .sort();
  const leadsOf = (urn: string) =>
    t.store.list('preventLeads').filter((l) => l.schoolId === schoolByUrn(urn).id);

  describe('access', () => {
    it('when an anonymous visitor opens the schools pages, then they are sent to sign in', async () => {
      for (const path of ['/schools', '/schools/distribution.csv', `/schools/${schoolByUrn('190001').id}`]) {
        const res = await request(t.app).get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location).to.match(/^\/login\?next=/);
      }
    });

    it('when a viewer, facilities officer or library manager asks for any schools page, then it answers 403', async () => {
      const id = schoolByUrn('190001').id;
      const leadId = leadsOf('190001')[0].id;
      const paths = [
        '/schools',
        `/schools/${id}`,
        `/schools/${id}/leads/new`,
        `/schools/${id}/leads/${leadId}/edit`,
        `/schools/${id}/leads/${leadId}/training/new`,
        '/schools/distribution',
        '/schools/distribution.csv',
        '/schools/home-education',
      ];
      for (const email of ['viewer@demo.test', 'facilities@demo.test', 'libraries@demo.test']) {
        const a = await t.signIn(email);
        for (const path of paths) expect((await a.get(path)).status, `${email} ${path}`).to.equal(403);
        const post = await a.post(`/schools/${id}/leads`, { name: 'X', role: 'dsl', email: 'x@example.org' });
        expect(post.status, `${email} POST`).to.equal(403);
      }
    });

    it('when a viewer opens the dashboard, then school flags show without any lead’s personal data', async () => {
      const viewer = await t.signIn('viewer@demo.test');
      const res = await viewer.get('/?type=school');
      expect(res.status).to.equal(200);
      // Rules by their plain labels (SPEC §17); a lead never trained is not called "expired".
      expect(res.text).to.include('No Prevent lead');
      expect(res.text).to.include('Prevent lead never trained');
      expect(res.text).to.not.match(/>[^<]*spoc-(missing|training-expired)[^<]*</);
      for (const l of t.store.list('preventLeads')) {
        expect(res.text).to.not.include(l.name);
        expect(res.text).to.not.include(l.email!);
      }
    });

    it('when the school list shows flags, then by their labels: a school whose lead was never trained reads "Prevent lead never trained"', async () => {
      const never = t.services.flags
        .all(today)
        .filter((f) => f.subject.type === 'school' && f.rule === 'spoc-training-expired' && f.dueOn === null);
      expect(never.length, 'a demo school whose lead has no Prevent training').to.be.greaterThan(0);
      const list = await education.get(
        `/schools?flag=spoc-training-expired&q=${encodeURIComponent(never[0]?.subject.name ?? '')}`,
      );
      const row = /<tbody[\s\S]*?<\/tbody>/.exec(list.text)?.[0] ?? '';
      expect(row).to.include('Prevent lead never trained');
      expect(row).to.not.include('spoc-');
    });

    it('when the education team and coordinators sign in, then they see Schools in the navigation; others do not', async () => {
      expect((await education.get('/')).text).to.include('href="/schools"');
      const coordinator = await t.signIn('coordinator@demo.test');
      expect((await coordinator.get('/schools')).status).to.equal(200);
      const facilities = await t.signIn('facilities@demo.test');
      expect((await facilities.get('/')).text).to.not.include('href="/schools"');
    });
  });

  describe('list and school page', () => {
    it('when the list is filtered by scope, then only schools in (or out of) scope are shown', async () => {
      const inScope = await education.get('/schools?scope=in');
      expect(inScope.text).to.include('Northbrook Academy');
      expect(inScope.text).to.not.include('Southmead Primary School');
      const outOfScope = await education.get('/schools?scope=out');
      expect(outOfScope.text).to.include('Southmead Primary School');
      expect(outOfScope.text).to.include('Old Town Secondary School');
      expect(outOfScope.text).to.not.include('Northbrook Academy');
    });

    it('when the list is filtered by phase, status or flag, then it shows just those schools', async () => {
      const primary = await education.get('/schools?phase=Primary');
      expect(primary.text).to.include('1 school<');
      expect(primary.text).to.include('Southmead Primary School');
      const closed = await education.get('/schools?status=Closed');
      expect(closed.text).to.include('Old Town Secondary School');
      expect(closed.text).to.include('1 school<');
      const missing = await education.get('/schools?flag=spoc-missing');
      expect(missing.text).to.include('Riverside High School');
      expect(missing.text).to.include('St Anne’s CofE High School');
      expect(missing.text).to.include('2 schools<');
      const byUrn = await education.get('/schools?q=190003');
      expect(byUrn.text).to.include('Hillcrest All-Through School');
      expect(byUrn.text).to.include('1 school<');
    });

    it('when a school page is opened, then it shows the GIAS details, the leads and their training', async () => {
      const res = await education.get(`/schools/${schoolByUrn('190001').id}`);
      expect(res.status).to.equal(200);
      for (const text of [
        '190001',
        '999 Northbrook',
        '999/4001',
        'Academy converter',
        'Mrs Helen Okafor',
        'Priya Shah',
        'Tom Whitfield',
        'HO-PA-55120',
        'Home Office Prevent awareness e-learning',
        'Start from last year’s audit',
      ]) {
        expect(res.text).to.include(text);
      }
    });

    it('when a school id does not exist, or a lead belongs to another school, then it answers 404', async () => {
      expect((await education.get('/schools/no-such-school')).status).to.equal(404);
      const otherLead = leadsOf('190003')[0];
      expect(
        (await education.get(`/schools/${schoolByUrn('190001').id}/leads/${otherLead.id}/edit`)).status,
      ).to.equal(404);
    });
  });

  describe('adding a lead and training clears the school’s flags', () => {
    it('when the lead form is sent with blanks and a bad email, then it answers 400 with an error summary and keeps what was typed', async () => {
      const id = schoolByUrn('190002').id;
      const res = await education.post(`/schools/${id}/leads`, {
        name: '',
        role: '',
        email: 'not-an-email',
        phone: '12',
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('govuk-error-summary');
      expect(res.text).to.include('Enter the Prevent lead’s full name');
      expect(res.text).to.include('Select the lead’s role');
      expect(res.text).to.include('Enter an email address in the correct format');
      expect(res.text).to.include('Enter a telephone number');
      expect(res.text).to.include('value="not-an-email"');
      expect(leadsOf('190002')).to.have.length(0);
    });

    it('when an end date is not after the start date, then the lead is refused', async () => {
      const id = schoolByUrn('190002').id;
      const res = await education.post(`/schools/${id}/leads`, {
        name: 'Sam Green',
        role: 'dsl',
        email: 'sam@riverside.example.sch.uk',
        ...dateParts('startOn', today),
        ...dateParts('endOn', today),
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('The end date must be after the start date');
    });

    it('when the education team adds a lead and then Prevent training, then spoc-missing and spoc-training-expired clear', async () => {
      const school = schoolByUrn('190002');
      expect(rulesFor('190002')).to.include('spoc-missing');

      const added = await education.post(`/schools/${school.id}/leads`, {
        name: 'Sam Green',
        role: 'dsl',
        email: 'Sam.Green@Riverside.example.sch.uk',
        phone: '020 7946 0123',
        ...dateParts('startOn', today),
        ...dateParts('contactConfirmedOn', today),
      });
      expect(added.status).to.equal(303);
      // GOV.UK add to a list: the school's leads, then "Do you need to add another Prevent lead?"
      expect(added.headers.location).to.equal(`/schools/${school.id}/leads`);
      const list = await education.get(`/schools/${school.id}/leads`);
      expect(list.text).to.include('You have added 1 Prevent lead');
      expect(list.text).to.include('Sam Green');
      expect(list.text).to.include('Do you need to add another Prevent lead?');
      const unanswered = await education.post(`/schools/${school.id}/leads/another`, {});
      expect(unanswered.status).to.equal(400);
      expect(unanswered.text).to.include('href="#another"');
      const yes = await education.post(`/schools/${school.id}/leads/another`, { another: 'yes' });
      expect(yes.headers.location).to.equal(`/schools/${school.id}/leads/new`);
      const no = await education.post(`/schools/${school.id}/leads/another`, { another: 'no' });
      expect(no.headers.location).to.equal(`/schools/${school.id}`);
      const [lead] = leadsOf('190002');
      expect(lead).to.include({
        name: 'Sam Green',
        role: 'dsl',
        email: 'sam.green@riverside.example.sch.uk',
        startOn: today,
      });
      expect(rulesFor('190002')).to.deep.equal(['review-overdue', 'spoc-training-expired']);

      const trained = await education.post(`/schools/${school.id}/leads/${lead.id}/training`, {
        type: 'prevent-awareness-elearning',
        ...dateParts('completedOn', addDays(today, -3)),
        evidenceRef: 'HO-PA-90001',
      });
      expect(trained.status).to.equal(303);
      expect(rulesFor('190002')).to.deep.equal(['review-overdue']);

      const page = await education.get(`/schools/${school.id}`);
      expect(page.text).to.include('Training was recorded for Sam Green');
      expect(page.text).to.include('HO-PA-90001');
      expect(page.text).to.not.include('No current Prevent lead');
    });

    it('when training is dated in the future or has no type, then it answers 400 and nothing is recorded', async () => {
      const school = schoolByUrn('190004');
      const lead = leadsOf('190004')[0];
      const before = t.store.list('leadTraining').length;
      const res = await education.post(`/schools/${school.id}/leads/${lead.id}/training`, {
        ...dateParts('completedOn', addDays(today, 1)),
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Select the type of training');
      expect(res.text).to.include('The training date must be today or in the past');
      expect(t.store.list('leadTraining').length).to.equal(before);
    });

    it('when DSL training is added for a lead with no Prevent training, then spoc-training-expired stays', async () => {
      const school = schoolByUrn('190004');
      const lead = leadsOf('190004')[0];
      const res = await education.post(`/schools/${school.id}/leads/${lead.id}/training`, {
        type: 'dsl-training',
        ...dateParts('completedOn', today),
      });
      expect(res.status).to.equal(303);
      expect(rulesFor('190004')).to.include('spoc-training-expired');
    });

    it('when the lapsed lead’s new training is recorded and then removed again, then the flag clears and comes back', async () => {
      const school = schoolByUrn('190003');
      const lead = leadsOf('190003')[0];
      expect(rulesFor('190003')).to.include('spoc-training-expired');
      await education.post(`/schools/${school.id}/leads/${lead.id}/training`, {
        type: 'council-session',
        ...dateParts('completedOn', today),
      });
      expect(rulesFor('190003')).to.not.include('spoc-training-expired');
      const added = t.store
        .list('leadTraining')
        .find((x) => x.leadId === lead.id && x.completedOn === today)!;
      const path = `/schools/${school.id}/leads/${lead.id}/training/${added.id}/remove`;
      const page = await education.get(`/schools/${school.id}`);
      expect(page.text).to.include(`href="${path}"`);
      expect(page.text).to.not.match(new RegExp(`<form method="post" action="${path}"`));
      const asked = await education.get(path);
      expect(asked.status).to.equal(200);
      expect(asked.text).to.include('Remove this training record?');
      expect(asked.text).to.include('Yes, remove this training record');
      const unconfirmed = await education.post(path);
      expect(unconfirmed.status).to.equal(200);
      expect(unconfirmed.text).to.include('Remove this training record?');
      expect(t.store.get('leadTraining', added.id), 'not removed without confirmation').to.not.equal(
        undefined,
      );
      const removed = await education.post(path, { confirm: 'yes' });
      expect(removed.status).to.equal(303);
      expect(t.store.get('leadTraining', added.id)).to.equal(undefined);
      expect(rulesFor('190003')).to.include('spoc-training-expired');
    });

    it('when the school confirms a lead’s contact details, then spoc-contact-stale clears', async () => {
      const school = schoolByUrn('190005');
      const lead = leadsOf('190005')[0];
      expect(rulesFor('190005')).to.include('spoc-contact-stale');
      const res = await education.post(`/schools/${school.id}/leads/${lead.id}/confirm`, {
        version: String(lead.version),
      });
      expect(res.status).to.equal(303);
      expect(t.store.get('preventLeads', lead.id)?.contactConfirmedOn).to.equal(today);
      expect(rulesFor('190005')).to.not.include('spoc-contact-stale');
    });

    it('when a lead’s details are changed, then they are saved; a second save of the same version is refused as changed', async () => {
      const school = schoolByUrn('190001');
      const lead = leadsOf('190001').find((l) => l.role === 'deputy-dsl')!;
      const form = {
        version: String(lead.version),
        name: 'Tom Whitfield',
        role: 'deputy-dsl',
        email: 'tom.whitfield@northbrook-academy.example.sch.uk',
        phone: '',
        ...dateParts('startOn', lead.startOn!),
        ...dateParts('contactConfirmedOn', lead.contactConfirmedOn!),
      };
      expect((await education.post(`/schools/${school.id}/leads/${lead.id}`, form)).status).to.equal(303);
      expect(t.store.get('preventLeads', lead.id)?.email).to.equal(
        'tom.whitfield@northbrook-academy.example.sch.uk',
      );
      expect((await education.post(`/schools/${school.id}/leads/${lead.id}`, form)).status).to.equal(409);
    });

    it('when the only lead is ended, then the school is flagged spoc-missing and the lead leaves the distribution list', async () => {
      const school = schoolByUrn('190003');
      const lead = leadsOf('190003')[0];
      const bad = await education.post(`/schools/${school.id}/leads/${lead.id}/end`, {
        version: String(lead.version),
      });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('Enter the date they stopped being Prevent lead');
      const res = await education.post(`/schools/${school.id}/leads/${lead.id}/end`, {
        version: String(lead.version),
        ...dateParts('endOn', today),
      });
      expect(res.status).to.equal(303);
      expect(rulesFor('190003')).to.include('spoc-missing');
      expect((await education.get('/schools/distribution.csv')).text).to.not.include(lead.email!);
    });
  });

  describe('distribution list', () => {
    it('when the CSV is downloaded, then it lists current leads of in-scope schools only, with a BOM and formulas neutralised', async () => {
      const school = schoolByUrn('190006');
      await education.post(`/schools/${school.id}/leads`, {
        name: '=HYPERLINK("http://evil.example")',
        role: 'other',
        email: 'office@stannes.example.sch.uk',
        ...dateParts('startOn', addMonths(today, -1)),
      });
      const res = await education.agent.get('/schools/distribution.csv').buffer(true).parse(binaryBody);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.match(
        /^attachment; filename="?prevent-leads-\d{4}-\d{2}-\d{2}\.csv/,
      );
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const body = bytes.subarray(3).toString('utf8');
      const lines = body.split('\r\n');
      expect(lines[0]).to.equal('name,role,email,school,urn');
      expect(lines).to.include(
        'Priya Shah,DSL,p.shah@northbrook-academy.example.sch.uk,Northbrook Academy,190001',
      );
      expect(lines).to.include(
        `"'=HYPERLINK(""http://evil.example"")",Other,office@stannes.example.sch.uk,St Anne’s CofE High School,190006`,
      );
      for (const gone of ['Martin Ellis', 'Nadia Karim', 'Carol Jenkins']) expect(body).to.not.include(gone);
    });

    it('when the Bcc page is opened, then it gives the addresses separated by semicolons', async () => {
      const res = await education.get('/schools/distribution');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/p\.shah@northbrook-academy\.example\.sch\.uk; /);
      expect(res.text).to.not.include('c.jenkins@oldtown.example.sch.uk');
    });
  });

  describe('home-education pathway counts', () => {
    it('when counts are recorded for a term, then they are listed; a bad number or a term already recorded is refused', async () => {
      const before = t.store.list('homeEducationCounts').length;
      const bad = await education.post('/schools/home-education', {
        academicYear: '2030',
        term: 'spring',
        offRollForEhe: 'three',
      });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('Enter a whole number, like 0 or 12');
      const ok = await education.post('/schools/home-education', {
        academicYear: '2030',
        term: 'spring',
        offRollForEhe: '7',
        missingEducation: '2',
        preventConcerns: '1',
      });
      expect(ok.status).to.equal(303);
      const stored = t.store.list('homeEducationCounts').find((c) => c.academicYear === 2030)!;
      expect(stored).to.include({
        term: 'spring',
        offRollForEhe: 7,
        missingEducation: 2,
        preventConcerns: 1,
        referralsToPrevent: 0,
      });
      const again = await education.post('/schools/home-education', { academicYear: '2030', term: 'spring' });
      expect(again.status).to.equal(400);
      expect(again.text).to.include('are already recorded');
      expect(t.store.list('homeEducationCounts').length).to.equal(before + 1);
      const list = await education.get('/schools/home-education');
      expect(list.text).to.include('Spring term 2031 (2030/31)');
    });

    it('when counts are changed, then the record is updated in place', async () => {
      const c = t.store.list('homeEducationCounts')[0];
      const res = await education.post(`/schools/home-education/${c.id}`, {
        version: String(c.version),
        academicYear: String(c.academicYear),
        term: c.term,
        offRollForEhe: '99',
      });
      expect(res.status).to.equal(303);
      expect(t.store.get('homeEducationCounts', c.id)?.offRollForEhe).to.equal(99);
    });
  });

  describe('annual school audit', () => {
    const allYes = Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [`answer-S${i + 1}`, i + 1 === 12 ? 'na' : 'yes']).concat([
        ['comment-S12', 'No lettings'],
      ]),
    );

    it('when an audit is started for a school out of scope, then it is refused saying why and nothing is started', async () => {
      const id = schoolByUrn('190007').id;
      const res = await education.post('/reviews/start', {
        subjectType: 'school',
        subjectId: id,
        from: 'blank',
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Southmead Primary School is not in scope');
      expect(t.store.list('reviews').filter((r) => r.subjectId === id)).to.deep.equal([]);
    });

    it('when an audit is submitted without who at the school confirmed it and when, then it answers 400', async () => {
      const school = schoolByUrn('190006');
      const started = await education.post('/reviews/start', {
        subjectType: 'school',
        subjectId: school.id,
        from: 'blank',
      });
      expect(started.status).to.equal(303);
      const reviewId = started.headers.location.split('/').pop()!;
      const form = await education.get(`/reviews/${reviewId}`);
      expect(form.text).to.include('Full name of the person who confirmed');
      const review = t.store.get('reviews', reviewId)!;
      const res = await education.post(`/reviews/${reviewId}`, {
        ...allYes,
        version: String(review.version),
        intent: 'submit',
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include(
        'Enter the full name of the person at the school who confirmed the answers',
      );
      expect(res.text).to.include('Enter their role');
      expect(res.text).to.include('Enter the date they confirmed the answers');
      const future = await education.post(`/reviews/${reviewId}`, {
        ...allYes,
        version: String(review.version),
        intent: 'submit',
        'attest-name': 'Zoë Fletcher',
        'attest-role': 'Headteacher',
        ...dateParts('attest-date', addDays(today, 1)),
      });
      expect(future.status).to.equal(400);
      expect(future.text).to.include('The date they confirmed must be today or in the past');
    });

    it('when the audit is submitted with the school’s attestation, then it is recorded and review-overdue clears', async () => {
      const school = schoolByUrn('190006');
      expect(rulesFor('190006')).to.include('review-overdue');
      const review = t.store.list('reviews').find((r) => r.subjectId === school.id && r.status === 'draft')!;
      const res = await education.post(`/reviews/${review.id}`, {
        ...allYes,
        // S1 and S2 were filled in from the school's records, to confirm; the records hold no training or
        // confirmed contact for this lead, so the school's "yes" needs a note saying why.
        confirmAll: 'yes',
        'comment-S1': 'Contact details confirmed by phone at the audit',
        'comment-S2': 'Trained in September; certificate sent to the education team',
        version: String(review.version),
        intent: 'submit',
        'attest-name': 'Zoë Fletcher',
        'attest-role': 'Headteacher',
        ...dateParts('attest-date', addDays(today, -2)),
      });
      expect(res.status, /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(res.text)?.[0]).to.equal(303);
      const done = t.store.get('reviews', review.id)!;
      expect(done).to.include({
        status: 'submitted',
        outcome: 'compliant',
        completedOn: today,
        nextDue: addMonths(today, 12),
      });
      expect(done.attestation).to.include({
        name: 'Zoë Fletcher',
        role: 'Headteacher',
        confirmedOn: addDays(today, -2),
      });
      expect(done.attestation?.statement).to.include('St Anne’s CofE High School');
      expect(rulesFor('190006')).to.not.include('review-overdue');
      const page = await education.get(`/reviews/${review.id}`);
      expect(page.text).to.include('Zoë Fletcher, Headteacher, confirmed on');
    });

    it('when last year’s audit is used as the start, then its policy and role answers are copied to confirm, and must be confirmed to submit', async () => {
      const school = schoolByUrn('190001');
      const started = await education.post('/reviews/start', {
        subjectType: 'school',
        subjectId: school.id,
        from: 'last',
      });
      expect(started.status).to.equal(303);
      const reviewId = started.headers.location.split('/').pop()!;
      const draft = t.store.get('reviews', reviewId)!;
      expect(draft.startedFrom).to.be.a('string');
      // Dated things (training, reviews, the risk assessment) are answered afresh; policies and roles carry
      // over; the lead (S1) and their training (S2) are filled in from the records.
      expect(Object.keys(draft.answers).sort()).to.deep.equal(['S1', 'S10', 'S11', 'S12', 'S2', 'S6', 'S7']);
      expect(draft.answers.S1).to.include({ toConfirm: true, from: 'records' });
      expect(draft.answers.S6).to.include({ answer: 'yes', toConfirm: true });
      expect(draft.answers.S12).to.include({
        answer: 'na',
        reason: 'The school does not let its premises',
        toConfirm: true,
      });
      const attest = {
        'attest-name': 'Helen Okafor',
        'attest-role': 'Headteacher',
        ...dateParts('attest-date', today),
      };
      const answers = { ...allYes, 'comment-S12': 'The school does not let its premises' };
      const unconfirmed = await education.post(`/reviews/${reviewId}`, {
        ...answers,
        version: String(draft.version),
        intent: 'submit',
        ...attest,
      });
      expect(unconfirmed.status).to.equal(400);
      expect(unconfirmed.text).to.include('Confirm or change the answer to question S6 from last review');
      const res = await education.post(`/reviews/${reviewId}`, {
        ...answers,
        confirmAll: 'yes',
        version: String(draft.version),
        intent: 'submit',
        ...attest,
      });
      expect(res.status).to.equal(303);
      expect(t.store.get('reviews', reviewId)).to.include({ status: 'submitted', outcome: 'compliant' });
    });
  });
});
