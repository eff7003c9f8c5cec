import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { periodOf } from '../../../checks/report/reportPeriod.js';
import { actionPlanReview } from '../../../checks/templates/actionPlanReview.js';
import { pdfPageCount } from '../../support/pdfText.js';
import { binaryBody, startTestApp, type TestApp } from '../../support/testApp.js';

describe('HTTP: staff training, the action plan and the board report', () => {
  describe('on the demo borough', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    const departmentId = (name: string) => t.store.list('departments').find((d) => d.name === name)!.id;

    it('when each role asks for the pages, then coordinators and viewers read them, only coordinators change them, others get 403', async () => {
      const dept = departmentId('Community Safety');
      const session = t.store.list('trainingSessions')[0].id;
      const activity = t.store.list('planActivities')[0].id;
      const reading = [
        '/training',
        `/training/departments/${dept}`,
        '/plan',
        '/report',
        `/report/download?format=csv`,
      ];
      const editing = [
        '/training/departments/new',
        `/training/departments/${dept}/edit`,
        '/training/sessions/new',
        `/training/sessions/${session}/edit`,
        '/plan/edit',
        '/plan/activities/new',
        `/plan/activities/${activity}/edit`,
        `/plan/activities/${activity}/notes/new`,
      ];
      const expected: Record<string, { read: number; edit: number }> = {
        'coordinator@demo.test': { read: 200, edit: 200 },
        'viewer@demo.test': { read: 200, edit: 403 },
        'facilities@demo.test': { read: 403, edit: 403 },
        'education@demo.test': { read: 403, edit: 403 },
        'libraries@demo.test': { read: 403, edit: 403 },
      };
      for (const [email, want] of Object.entries(expected)) {
        const a = await t.signIn(email);
        for (const path of reading)
          expect((await a.get(path)).status, `${email} ${path}`).to.equal(want.read);
        for (const path of editing)
          expect((await a.get(path)).status, `${email} ${path}`).to.equal(want.edit);
      }
      const viewer = await t.signIn('viewer@demo.test');
      expect(
        (await viewer.post('/training/departments', { name: 'X', staffRequiringTraining: '1' })).status,
      ).to.equal(403);
      expect((await viewer.post(`/plan/activities/${activity}/notes`, { note: 'x' })).status).to.equal(403);
    });

    it('when nobody is signed in, then the pages send them to sign in', async () => {
      const request = (await import('supertest')).default;
      for (const path of ['/training', '/plan', '/report', '/report/download?format=pdf']) {
        const res = await request(t.app).get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location, path).to.match(/^\/login\?next=/);
      }
    });

    it('when the navigation is drawn, then coordinators and viewers both reach Training, Action plan and Report (viewers may read them)', async () => {
      const links = (html: string) =>
        [...html.matchAll(/<nav[^>]*>[\s\S]*?<\/nav>/g)].map((m) => m[0]).join('');
      const c = await t.signIn('coordinator@demo.test');
      const v = await t.signIn('viewer@demo.test');
      for (const agent of [c, v]) {
        // Training is under People; Report and Action plan under Compliance, whose pages show on /report.
        const reportPage = links((await agent.get('/report')).text);
        for (const item of ['href="/training"', 'href="/plan"', 'href="/report"'])
          expect(reportPage).to.include(item);
      }
      const vNav = links((await v.get('/')).text);
      for (const hidden of ['/premises', '/bookings', '/users', '/audit', '/reminders'])
        expect(vNav).to.not.include(`href="${hidden}"`);
    });

    it('when a viewer reads a department, then they see counts but no staff names and no trainers', async () => {
      const dept = departmentId('Community Safety');
      const c = await t.signIn('coordinator@demo.test');
      const asCoordinator = (await c.get(`/training/departments/${dept}`)).text;
      expect(asCoordinator).to.include('Jordan Ellis');
      const v = await t.signIn('viewer@demo.test');
      const asViewer = (await v.get(`/training/departments/${dept}`)).text;
      expect(asViewer).to.include('Staff trained');
      for (const name of ['Jordan Ellis', 'Priya Nair', 'CS001']) expect(asViewer).to.not.include(name);
      const list = (await v.get('/training')).text;
      expect(list).to.include('Leisure and Venues');
      expect(list).to.not.include('Police Prevent Officer');
      expect(list).to.not.include('Add a department');
      const report = (await v.get('/report')).text;
      for (const name of ['Jordan Ellis', 'Police Prevent Officer', 'facilities@demo.test']) {
        expect(report).to.not.include(name);
      }
    });

    it('when the report page is opened, then it shows the current quarter with charts, tables and download links', async () => {
      const c = await t.signIn('viewer@demo.test');
      const res = await c.get('/report');
      const quarter = periodOf(t.services.flags.today());
      expect(res.status).to.equal(200);
      expect(res.text).to.include(`Board report: ${quarter.label}`);
      expect(res.text.match(/<svg [^>]*role="img"/g)?.length).to.equal(3);
      expect(res.text).to.not.match(/<svg[^>]*style=/);
      for (const heading of [
        'Compliance by area',
        'Staff training by department',
        'Action plan',
        'Outstanding items',
      ]) {
        expect(res.text).to.include(heading);
      }
      for (const f of ['html', 'csv', 'pdf']) {
        expect(res.text).to.include(`href="/report/download?period=${quarter.id}&amp;format=${f}"`);
      }
      const late = t.store.list('planActivities').find((a) => a.description.startsWith('Confirm the CTIRU'))!;
      expect(res.text).to.include(`href="/plan#activity-${late.id}"`);
    });

    it('when the period is not a quarter or has not started, then the page says so with status 400', async () => {
      const c = await t.signIn('coordinator@demo.test');
      const bad = await c.get('/report?period=2026-Q9');
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('govuk-error-summary');
      expect(bad.text).to.include('The period must be a quarter like');
      const future = await c.get('/report?period=2099-Q1');
      expect(future.status).to.equal(400);
      expect(future.text).to.include('2099-Q1 has not started yet');
      expect((await c.get('/report/download?period=2099-Q1&format=csv')).status).to.equal(400);
      expect((await c.get('/report/download?format=xlsx')).status).to.equal(400);
    });

    it('when the report is downloaded, then each format comes as an attachment of the right type', async () => {
      const c = await t.signIn('viewer@demo.test');
      const id = periodOf(t.services.flags.today()).id;
      const csv = await c.agent
        .get(`/report/download?period=${id}&format=csv`)
        .buffer(true)
        .parse(binaryBody);
      expect(csv.status).to.equal(200);
      expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).to.equal(
        `attachment; filename="due-regard-board-report-${id}.csv"`,
      );
      const csvText = (csv.body as Buffer).toString('utf8');
      expect(csvText.charCodeAt(0)).to.equal(0xfeff);
      expect(
        (parse(csvText, { bom: true }) as string[][]).some((r) => r[0] === 'Leisure and Venues'),
      ).to.equal(true);

      const pdf = await c.agent
        .get(`/report/download?period=${id}&format=pdf`)
        .buffer(true)
        .parse(binaryBody);
      expect(pdf.headers['content-type']).to.equal('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 4).toString('latin1')).to.equal('%PDF');
      expect(pdfPageCount(pdf.body as Buffer)).to.equal(4);

      const html = await c.get(`/report/download?period=${id}&format=html`);
      expect(html.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(html.headers['content-disposition']).to.match(/^attachment;/);
      expect(html.text).to.match(/^<!DOCTYPE html>/);
    });

    it('when the demo is reported for the current quarter, then every section has figures', () => {
      const today = t.services.flags.today();
      const r = t.services.report.build(periodOf(today).id, today);
      const premises = r.compliance.find((c) => c.id === 'premises-audited')!;
      expect(premises.current!.total).to.equal(12);
      expect(premises.previous).to.not.equal(null);
      expect(r.training.lines).to.have.length(5);
      expect(r.training.lines.filter((l) => l.belowTarget).map((l) => l.department)).to.deep.equal([
        'Leisure and Venues',
      ]);
      expect(r.training.lines.map((l) => l.basis)).to.include.members(['staff-records', 'sessions']);
      expect(r.training.totals.sessions).to.be.greaterThan(0);
      for (const count of Object.values(r.plan!.rag)) expect(count).to.be.greaterThan(0);
      expect(r.plan!.late.map((a) => a.description)).to.deep.equal([
        'Confirm the CTIRU list is applied by the library filtering provider',
      ]);
      expect(r.plan!.reviewState).to.equal('due-soon');
      const rules = Object.fromEntries(r.outstanding.rules.map((x) => [x.rule, x.counts]));
      expect(rules['training-below-target']).to.deep.equal({ department: 1 });
      expect(rules['review-due-soon']).to.include({ plan: 1 });
      expect(rules['action-overdue']).to.include({ plan: 1 });
      expect(r.outstanding.total).to.be.greaterThan(0);
    });

    it('when the coordinator opens the dashboard, then the late activity links to its place in the plan', async () => {
      const c = await t.signIn('coordinator@demo.test');
      const late = t.store.list('planActivities').find((a) => a.description.startsWith('Confirm the CTIRU'))!;
      const dash = await c.get('/?type=action');
      expect(dash.text).to.include(`href="/plan#activity-${late.id}"`);
      const api = await c.get('/api/flags');
      const flags = api.body as { rule: string; subject: { type: string; ref: string } }[];
      expect(flags.some((f) => f.rule === 'review-due-soon' && f.subject.type === 'plan')).to.equal(true);
      expect(
        flags.some((f) => f.rule === 'training-below-target' && f.subject.ref === 'Leisure and Venues'),
      ).to.equal(true);
    });

    it('when a department form has bad values, then it re-renders with errors keeping what was typed and adds nothing', async () => {
      const c = await t.signIn('coordinator@demo.test');
      const before = t.store.list('departments').length;
      const res = await c.post('/training/departments', {
        name: 'housing and neighbourhoods',
        staffRequiringTraining: 'forty',
        targetPercent: '150',
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('govuk-error-summary');
      expect(res.text).to.include('There is already a department called Housing and Neighbourhoods');
      expect(res.text).to.include('Staff requiring training must be a whole number');
      expect(res.text).to.include('Target must be a whole number from 1 to 100');
      expect(res.text).to.include('value="forty"');
      expect(t.store.list('departments').length).to.equal(before);
    });

    it('when a department and its sessions are recorded, then its figures and the below-target flag follow', async () => {
      const c = await t.signIn('coordinator@demo.test');
      const created = await c.post('/training/departments', {
        name: 'Parks and Open Spaces',
        staffRequiringTraining: '10',
        targetPercent: '',
      });
      expect(created.status).to.equal(303);
      const id = (created.headers.location as string).split('/').pop()!;
      expect(t.store.get('departments', id)).to.include({ staffRequiringTraining: 10, targetPercent: 90 });
      const flagged = () =>
        t.services.flags
          .all(t.services.flags.today())
          .some((f) => f.rule === 'training-below-target' && f.subject.id === id);
      expect(flagged()).to.equal(true);

      const [y, m, d] = t.services.flags.today().split('-');
      const future = await c.post('/training/sessions', {
        'date-day': d,
        'date-month': m,
        'date-year': String(Number(y) + 1),
        type: 'wrap',
        departmentId: id,
        attendees: '9',
        trainer: 'Prevent Coordinator',
      });
      expect(future.status).to.equal(400);
      expect(future.text).to.include('The date must be today or in the past');
      const missing = await c.post('/training/sessions', { departmentId: id, attendees: '-1' });
      expect(missing.status).to.equal(400);
      for (const text of [
        'Enter the date of the session',
        'Select the type of training',
        'Attendees must be a whole number',
        'Enter who delivered the training',
      ]) {
        expect(missing.text).to.include(text);
      }
      const ok = await c.post('/training/sessions', {
        'date-day': d,
        'date-month': m,
        'date-year': y,
        type: 'prevent-awareness',
        departmentId: id,
        attendees: '9',
        trainer: 'Home Office e-learning',
      });
      expect(ok.status).to.equal(303);
      const page = (await c.get(`/training/departments/${id}`)).text;
      expect(page).to.include('90%');
      expect(flagged()).to.equal(false);

      const session = t.store.list('trainingSessions').find((s) => s.departmentId === id)!;
      const path = `/training/sessions/${session.id}/delete`;
      const edit = await c.get(`/training/sessions/${session.id}/edit`);
      expect(edit.text).to.include(`href="${path}"`);
      const asked = await c.post(path);
      expect(asked.status).to.equal(200);
      expect(asked.text).to.include('Remove this training session?');
      expect(t.store.get('trainingSessions', session.id), 'not removed unconfirmed').to.not.equal(undefined);
      const removed = await c.post(path, { confirm: 'yes' });
      expect(removed.status).to.equal(303);
      expect(t.store.get('trainingSessions', session.id)).to.equal(undefined);
      expect(flagged()).to.equal(true);
    });
  });

  describe('on a new database', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp({ demo: false });
      await t.services.users.create(
        'test',
        { email: 'coord@council.example', name: 'Coordinator', role: 'coordinator', libraryIds: [] },
        'A-long-enough-passphrase-1',
      );
    });
    afterEach(() => t.close());

    const signIn = () => t.signIn('coord@council.example', 'A-long-enough-passphrase-1');

    it('when the plan is set up, then it has the six headings and is flagged until its first quarterly review', async () => {
      const c = await signIn();
      const empty = await c.get('/plan');
      expect(empty.text).to.include('has not been set up');
      expect(t.services.flags.all(t.services.flags.today())).to.deep.equal([]);
      const bad = await c.post('/plan/setup', { title: '', ownerEmail: 'not-an-email' });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('Enter the title of the plan');
      expect(t.store.list('actionPlans')).to.have.length(0);

      const ok = await c.post('/plan/setup', {
        title: 'Borough Prevent plan 2026-27',
        ownerEmail: 'coord@council.example',
      });
      expect(ok.status).to.equal(303);
      expect(t.services.plan.headings().map((h) => h.title)).to.deep.equal([
        'Governance and problem solving',
        'WRAP briefings and training',
        'Education and safeguarding children',
        'Channel panel processes',
        'Internet vigilance on council PCs, including libraries',
        'Council property and hall hiring',
      ]);
      const flags = t.services.flags.all(t.services.flags.today());
      expect(flags.map((f) => [f.rule, f.subject.type, f.subject.ref])).to.deep.equal([
        ['review-overdue', 'plan', 'Borough Prevent plan 2026-27'],
      ]);
      expect((await c.post('/plan/setup', { title: 'Again' })).status).to.equal(400);

      // The quarterly review goes through the generic review flow.
      const started = await c.post('/reviews/start', {
        subjectType: 'plan',
        subjectId: 'plan',
        from: 'blank',
      });
      expect(started.status).to.equal(303);
      const reviewPath = started.headers.location as string;
      const form = await c.get(reviewPath);
      expect(form.text).to.include('Action plan review');
      const version = /name="version" value="(\d+)"/.exec(form.text)![1];
      const answers: Record<string, string> = { version, intent: 'submit' };
      for (const q of actionPlanReview.questions) answers[`answer-${q.id}`] = 'yes';
      answers['answer-G5'] = 'no';
      const submitted = await c.post(reviewPath, answers);
      expect(submitted.status).to.equal(303);
      const review = t.store.get('reviews', reviewPath.split('/').pop()!)!;
      expect(review).to.include({ outcome: 'partially-compliant', subjectType: 'plan' });
      const after = t.services.flags.all(t.services.flags.today());
      expect(after.map((f) => [f.rule, f.subject.type])).to.deep.equal([['partially-compliant', 'plan']]);
      expect(after[0].dueOn).to.equal(review.nextDue);
      const plan = await c.get('/plan');
      expect(plan.text).to.include('Past reviews');
    });

    it('when activities are added, noted and completed, then a recurring one comes back due a year after', async () => {
      const c = await signIn();
      await c.post('/plan/setup', { title: 'Borough Prevent plan', ownerEmail: '' });
      const channel = t.services.plan.headings().find((h) => h.title === 'Channel panel processes')!;

      const bad = await c.post('/plan/activities', {
        headingId: 'nope',
        rag: 'purple',
        repeatMonths: 'yearly',
      });
      expect(bad.status).to.equal(400);
      for (const text of [
        'Select the heading of the plan',
        'Describe the activity',
        'Enter the team, agency or post that owns the activity',
        'Enter a due date',
        'Select the RAG status',
        'Repeat every must be a whole number of months',
      ]) {
        expect(bad.text).to.include(text);
      }
      expect(t.store.list('planActivities')).to.have.length(0);

      const created = await c.post('/plan/activities', {
        headingId: channel.id,
        description: 'Renew the Channel information sharing agreement',
        owner: 'Channel Panel Chair',
        ownerEmail: 'Chair@Council.Example',
        'due-day': '31',
        'due-month': '3',
        'due-year': '2027',
        rag: 'green',
        repeatMonths: '12',
      });
      expect(created.status).to.equal(303);
      const activity = t.store.list('planActivities')[0];
      expect(created.headers.location).to.equal(`/plan#activity-${activity.id}`);
      expect(activity).to.include({
        ownerEmail: 'chair@council.example',
        dueOn: '2027-03-31',
        repeatMonths: 12,
      });

      const today = t.services.flags.today();
      const [y, m, d] = today.split('-');
      const note = await c.post(`/plan/activities/${activity.id}/notes`, {
        'on-day': d,
        'on-month': m,
        'on-year': y,
        note: 'Draft agreed by partners',
      });
      expect(note.status).to.equal(303);
      const noEmpty = await c.post(`/plan/activities/${activity.id}/notes`, { note: ' ' });
      expect(noEmpty.status).to.equal(400);
      expect(noEmpty.text).to.include('Enter the date of the note');
      expect(noEmpty.text).to.include('Enter the progress note');
      expect(t.store.get('planActivities', activity.id)!.progressNotes).to.deep.equal([
        { on: today, note: 'Draft agreed by partners', by: 'coord@council.example' },
      ]);

      // Store records are live objects: keep the version as the form had it when opened.
      const current = structuredClone(t.store.get('planActivities', activity.id)!);
      const done = await c.post(`/plan/activities/${activity.id}`, {
        version: String(current.version),
        headingId: channel.id,
        description: current.description,
        owner: current.owner,
        ownerEmail: current.ownerEmail ?? '',
        'due-day': '31',
        'due-month': '3',
        'due-year': '2027',
        rag: 'complete',
        repeatMonths: '12',
      });
      expect(done.status).to.equal(303);
      expect(t.store.get('planActivities', activity.id)).to.include({ rag: 'complete', completedOn: today });
      const next = t.store.list('planActivities').find((a) => a.id !== activity.id)!;
      expect(next).to.include({
        description: 'Renew the Channel information sharing agreement',
        dueOn: '2028-03-31',
        rag: 'green',
        repeatMonths: 12,
        completedOn: null,
      });
      expect(next.progressNotes).to.deep.equal([]);

      // Saving over a newer version is refused, not merged.
      const stale = await c.post(`/plan/activities/${activity.id}`, {
        version: String(current.version),
        headingId: channel.id,
        description: 'Stale edit',
        owner: 'X',
        'due-day': '1',
        'due-month': '1',
        'due-year': '2027',
        rag: 'red',
      });
      expect(stale.status).to.equal(409);
      expect(t.store.get('planActivities', activity.id)!.description).to.not.equal('Stale edit');
    });
  });
});
