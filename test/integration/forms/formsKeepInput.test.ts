import { expect } from 'chai';
import type { Store } from '../../../data/store/store.js';
import { choices, formFields, keptFields } from '../../support/formFields.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

type Fields = Record<string, string | string[]>;

const date = (prefix: string, d: string, m: string, y: string): Fields => ({
  [`${prefix}-day`]: d,
  [`${prefix}-month`]: m,
  [`${prefix}-year`]: y,
});

interface FormCase {
  form: string;
  who: string;
  /** The page showing the form, and where it posts. */
  page: (s: Store) => string;
  action: (s: Store) => string;
  /** Every field filled (the page's own defaults are kept for the rest); `html` is the form page. */
  fill: (html: string) => Fields;
  /** The one bad field, and the error it must give. */
  bad: Fields;
  error: string;
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`no demo ${what}`);
  return x;
}
const premisesId = (s: Store) =>
  need(
    s.list('premises').find((p) => p.ref === 'NB-004'),
    'premises',
  ).id;
const libraryId = (s: Store) =>
  need(
    s.list('libraries').find((l) => l.name === 'Northbrook Central Library'),
    'library',
  ).id;
const activityId = (s: Store) => need(s.list('planActivities').at(0), 'plan activity').id;
const lead = (s: Store) =>
  need(
    s.list('preventLeads').find((l) => !l.endOn),
    'current school lead',
  );
const schoolId = (s: Store) => lead(s).schoolId;
const submittedWithNo = (s: Store) =>
  need(
    s
      .list('reviews')
      .find((r) => r.subjectType === 'premises' && r.status === 'submitted' && r.outcome !== 'compliant'),
    'submitted audit with an answer of no',
  );
const userId = (s: Store) =>
  need(
    s.list('users').find((u) => u.email === 'viewer@demo.test'),
    'user',
  ).id;

/**
 * Issue 20, item 2, across the app: each form that writes is sent full with one bad field, and every
 * other value and tick must come back as it was sent (and the one error be the only one).
 */
const CASES: FormCase[] = [
  {
    form: 'add premises',
    who: 'facilities@demo.test',
    page: () => '/premises/new',
    action: () => '/premises',
    fill: () => ({
      name: 'Oakfield Hall',
      ref: 'NB-300',
      uprn: '100023336956',
      address: '1 Oak Road, Northbrook',
      postcode: 'NB9 9ZZ',
      ward: 'Southmead',
      operator: 'Oakfield Trust',
      buildingType: 'Community hall',
      hireableSpace: 'yes',
      publicIt: 'no',
      risk: 'high',
      riskRationale: 'Late-night hires',
      siteManagerEmail: 'site@oakfield.test',
    }),
    bad: { postcode: 'not a postcode' },
    error: 'Enter a real postcode',
  },
  {
    form: 'change premises',
    who: 'facilities@demo.test',
    page: (s) => `/premises/${premisesId(s)}/edit`,
    action: (s) => `/premises/${premisesId(s)}`,
    fill: () => ({
      name: 'Northbrook Leisure Centre (renamed)',
      address: '2 Park Lane',
      ward: 'Eastgate',
      operator: 'Leisure Trust',
      buildingType: 'Leisure centre',
      hireableSpace: 'no',
      publicIt: 'yes',
      risk: 'high',
      riskRationale: 'Large events',
    }),
    bad: { siteManagerEmail: 'not an email' },
    error: 'email',
  },
  {
    form: 'library filtering profile',
    who: 'libraries@demo.test',
    page: (s) => `/libraries/${libraryId(s)}/profile`,
    action: (s) => `/libraries/${libraryId(s)}/profile`,
    fill: (html) => ({
      provider: 'Filter Co',
      product: 'SafeNet 5',
      publicWifi: choices(html, 'publicWifi')[0] ?? '',
      childProfile: choices(html, 'childProfile')[0] ?? '',
      blockedCategories: choices(html, 'blockedCategories').slice(0, 2),
      otherCategories: 'Gambling, Weapons',
    }),
    bad: { publicPcCount: 'lots' },
    error: 'number',
  },
  {
    form: 'library filter test',
    who: 'libraries@demo.test',
    page: (s) => `/libraries/${libraryId(s)}/filter-tests/new`,
    action: (s) => `/libraries/${libraryId(s)}/filter-tests`,
    fill: (html) => ({
      deviceOrNetwork: 'Public PC 3',
      categoriesTried: choices(html, 'categoriesTried').slice(0, 3),
      otherCategories: 'Self-harm forums',
      result: 'not-blocked',
      categoriesNotBlocked: choices(html, 'categoriesNotBlocked').slice(0, 1),
      otherNotBlocked: 'Self-harm forums',
      notes: 'Reported to the provider',
    }),
    bad: date('testedOn', '31', '2', '2026'),
    error: 'real date',
  },
  {
    form: 'action plan details',
    who: 'coordinator@demo.test',
    page: () => '/plan/edit',
    action: () => '/plan/edit',
    fill: () => ({ title: 'Northbrook Prevent action plan 2026 to 2027' }),
    bad: { ownerEmail: 'not an email' },
    error: 'email',
  },
  {
    form: 'action plan activity',
    who: 'coordinator@demo.test',
    page: () => '/plan/activities/new',
    action: () => '/plan/activities',
    fill: (html) => ({
      headingId: choices(html, 'headingId')[1] ?? '',
      description: 'Brief the youth service on referrals',
      owner: 'Youth service manager',
      ownerEmail: 'youth@northbrook.test',
      rag: choices(html, 'rag')[1] ?? '',
      repeatMonths: choices(html, 'repeatMonths')[1] ?? '',
    }),
    bad: date('due', '31', '2', '2027'),
    error: 'real date',
  },
  {
    form: 'action plan progress note',
    who: 'coordinator@demo.test',
    page: (s) => `/plan/activities/${activityId(s)}/notes/new`,
    action: (s) => `/plan/activities/${activityId(s)}/notes`,
    fill: () => ({ note: 'Met the youth service; briefing booked' }),
    bad: date('on', '32', '1', '2026'),
    error: 'real date',
  },
  {
    form: 'school Prevent lead',
    who: 'education@demo.test',
    page: (s) => `/schools/${schoolId(s)}/leads/new`,
    action: (s) => `/schools/${schoolId(s)}/leads`,
    fill: (html) => ({
      name: 'Priya Patel',
      role: choices(html, 'role')[1] ?? '',
      phone: '01632 960001',
      ...date('startOn', '1', '9', '2026'),
      ...date('contactConfirmedOn', '2', '9', '2026'),
    }),
    bad: { email: 'not an email' },
    error: 'email',
  },
  {
    form: 'school lead training',
    who: 'education@demo.test',
    page: (s) => `/schools/${lead(s).schoolId}/leads/${lead(s).id}/training/new`,
    action: (s) => `/schools/${lead(s).schoolId}/leads/${lead(s).id}/training`,
    fill: (html) => ({ type: choices(html, 'type')[0] ?? '', evidenceRef: 'Certificate 2026-114' }),
    bad: date('completedOn', '30', '2', '2026'),
    error: 'real date',
  },
  {
    form: 'Prevent bulletin',
    who: 'education@demo.test',
    page: () => '/schools/bulletins/new',
    action: () => '/schools/bulletins/preview',
    fill: () => ({ body: 'Training dates for the spring term are now open.' }),
    bad: { subject: '' },
    error: 'subject',
  },
  {
    form: 'home education counts',
    who: 'education@demo.test',
    page: () => '/schools/home-education/new',
    action: () => '/schools/home-education',
    fill: (html) => ({
      academicYear: choices(html, 'academicYear')[1] ?? '',
      term: choices(html, 'term')[1] ?? '',
      offRollForEhe: '12',
      missingEducation: '3',
      eheTeamContacted: '10',
      safeguardingConcerns: '2',
      preventConcerns: '1',
      referralsToMash: '2',
      referralsToPrevent: '1',
      notes: 'Counts from the spring term return',
    }),
    bad: { missingEducation: 'many' },
    error: 'number',
  },
  {
    form: 'raise an action on a review',
    who: 'facilities@demo.test',
    page: (s) => `/reviews/${submittedWithNo(s).id}/actions/new`,
    action: (s) => `/reviews/${submittedWithNo(s).id}/actions`,
    fill: () => ({ description: 'Put the Prevent poster up in reception', ...date('due', '1', '6', '2027') }),
    bad: { ownerEmail: 'not an email' },
    error: 'email',
  },
  {
    form: 'training department',
    who: 'coordinator@demo.test',
    page: () => '/training/departments/new',
    action: () => '/training/departments',
    fill: () => ({ name: 'Parks and open spaces', staffRequiringTraining: '42' }),
    bad: { targetPercent: '150' },
    error: '100',
  },
  {
    form: 'training session',
    who: 'coordinator@demo.test',
    page: () => '/training/sessions/new',
    action: () => '/training/sessions',
    fill: (html) => ({
      departmentId: choices(html, 'departmentId')[0] ?? '',
      type: choices(html, 'type')[0] ?? '',
      ...date('date', '3', '3', '2026'),
      trainer: 'Sam Trainer',
      notes: 'Held in the council chamber',
    }),
    bad: { attendees: 'lots' },
    error: 'number',
  },
  {
    form: 'add a user',
    who: 'coordinator@demo.test',
    page: () => '/users/new',
    action: () => '/users',
    fill: (html) => ({
      name: 'Dana Library',
      role: 'library-manager',
      libraryIds: choices(html, 'libraryIds').slice(0, 2),
    }),
    bad: { email: 'not an email' },
    error: 'email',
  },
  {
    form: 'change a user',
    who: 'coordinator@demo.test',
    page: (s) => `/users/${userId(s)}/edit`,
    action: (s) => `/users/${userId(s)}`,
    fill: (html) => ({ role: 'library-manager', libraryIds: choices(html, 'libraryIds').slice(0, 1) }),
    bad: { name: '' },
    error: 'name',
  },
];

describe('HTTP: every form that writes keeps what was entered when one field is wrong', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  for (const c of CASES) {
    it(`when the ${c.form} form is sent full with one bad field, then every other value and tick comes back and nothing is saved`, async () => {
      const agent = await t.signIn(c.who);
      const page = await agent.get(c.page(t.store));
      expect(page.status, `GET ${c.page(t.store)}`).to.equal(200);
      const action = c.action(t.store);
      const posted: Fields = { ...formFields(page.text, action), ...c.fill(page.text), ...c.bad };
      const before = JSON.stringify(t.store.data);
      const res = await agent.post(action, posted);
      expect(res.status, `POST ${action}`).to.equal(400);
      const summary = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(res.text)?.[0] ?? '';
      expect(summary.match(/<li>/g)?.length ?? 0, summary).to.equal(1);
      expect(summary.toLowerCase()).to.include(c.error.toLowerCase());
      expect(keptFields(res.text, action, posted, Object.keys(c.bad))).to.deep.equal([]);
      expect(JSON.stringify(t.store.data)).to.equal(before);
    });
  }
});
