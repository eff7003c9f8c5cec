/**
 * WHO MAY DO WHAT — the expected answer of every route of the app, for every role and for an anonymous
 * visitor. `authorizationMatrix.test.ts` walks the app's router, finds every route, and requests each
 * one as each of them; it FAILS for a route that has no entry here, and for an entry whose route is gone.
 *
 * ADDING A ROUTE? Add its entry here, keyed "METHOD /path/:param" exactly as the router declares it.
 *   - `expect`: the status each visitor gets. LOGIN means "sent to /login" (303 to /login?next=…).
 *     A POST is sent with a valid CSRF token and the `form` fields (none by default), so an allowed
 *     role usually gets 400 (the form is empty) or 303 (done), and a refused one 403 — or 404 where
 *     the record is one they may not see at all (object-level: say so rather than 403).
 *   - `params`: where each `:param` comes from, from the demo data (see the helpers below). Pick a
 *     record the role-specific answers are about (e.g. a library the library manager does NOT manage,
 *     if a refused answer is what the row shows).
 *   - Requests run in this file's order, each with freshly signed-in agents, on one demo database,
 *     so a POST that changes something should target the spare records the test makes (`spareUser`,
 *     `spareToken`) or be harmless to repeat.
 * API tokens need nothing here: a bearer token gets the coordinator's answer on GET /api/* and 403
 * everywhere else (`token` overrides that, e.g. for /health, which answers before sign-in is looked at).
 */
import type { Role } from '../../../data/schemas/accountSchemas.js';
import type { Store } from '../../../data/store/store.js';

export const LOGIN = 'login' as const;
export type Expected = number | typeof LOGIN;
export type Visitor = 'anonymous' | Role;

export interface RoutePolicy {
  expect: Record<Visitor, Expected>;
  /** Each `:param` of the path, from the data. */
  params?: Record<string, (store: Store) => string>;
  /** What a request with an API token gets, when not the usual (see above). */
  token?: Expected;
  /** A query string for the request (without "?"), e.g. a required format. */
  query?: string;
  /** Fields of a POST form (the CSRF token is added). */
  form?: (store: Store) => Record<string, string | string[]>;
}

/** The path to request for a route key, its `:params` filled from the data (and the policy's query). */
export function pathFor(store: Store, key: string, policy: RoutePolicy): string {
  const path = key.slice(key.indexOf(' ') + 1);
  if (/[*?{}()]/.test(path)) throw new Error(`${key}: wildcard or optional path parts are not handled yet`);
  const concrete = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const find = policy.params?.[name];
    if (!find) throw new Error(`${key}: routePolicy.ts gives no value for :${name}`);
    return encodeURIComponent(find(store));
  });
  return policy.query ? `${concrete}?${policy.query}` : concrete;
}

/** The demo account each role signs in as. */
export const demoEmail: Record<Exclude<Visitor, 'anonymous'>, string> = {
  coordinator: 'coordinator@demo.test',
  facilities: 'facilities@demo.test',
  'library-manager': 'libraries@demo.test',
  education: 'education@demo.test',
  viewer: 'viewer@demo.test',
};

/** The spare account and token the matrix test creates, for routes that change a user or a token. */
export const SPARE_USER_EMAIL = 'spare.account@demo.test';
export const SPARE_TOKEN_NAME = 'Spare token for the route matrix';

const first = <T>(list: readonly T[], what: string): T => {
  if (!list[0]) throw new Error(`The demo data has no ${what}`);
  return list[0];
};

/** Finders for real ids in the demo data. Areas: add yours. */
export const ids = {
  premises: (s: Store) => first(s.list('premises'), 'premises').id,
  submittedPremisesReview: (s: Store) =>
    first(
      s.list('reviews').filter((r) => r.subjectType === 'premises' && r.status === 'submitted'),
      'submitted premises review',
    ).id,
  /** Submitted booking checks: a checklist in sections. */
  submittedBookingReview: (s: Store) =>
    first(
      s.list('reviews').filter((r) => r.subjectType === 'booking' && r.status === 'submitted'),
      'submitted booking checks',
    ).id,
  /** An evidence file on the submitted premises review above (the demo adds one). */
  premisesEvidence: (s: Store) =>
    first(
      s.list('evidence').filter((e) => e.reviewId === ids.submittedPremisesReview(s)),
      'evidence file on the submitted premises review',
    ).id,
  premisesAction: (s: Store) =>
    first(
      s.list('actions').filter((a) => a.subjectType === 'premises'),
      'action on premises',
    ).id,
  /** A library the demo library manager (libraries@demo.test) manages. */
  managedLibrary: (s: Store) => {
    const manager = first(
      s.list('users').filter((u) => u.email === 'libraries@demo.test'),
      'library manager',
    );
    return first(manager.libraryIds, 'library managed by libraries@demo.test');
  },
  /** Everyone who manages a library now (to post the managers form without changing it). */
  managersOf: (s: Store, libraryId: string) =>
    s
      .list('users')
      .filter((u) => u.role === 'library-manager' && u.libraryIds.includes(libraryId))
      .map((u) => u.id),
  /** A training record of a Prevent lead, and the lead and school it belongs to (so the three agree). */
  leadTraining: (s: Store) => first(s.list('leadTraining'), 'Prevent lead training record').id,
  leadWithTraining: (s: Store) => s.get('leadTraining', ids.leadTraining(s))!.leadId,
  schoolWithTraining: (s: Store) => s.get('preventLeads', ids.leadWithTraining(s))!.schoolId,
  homeEducationCount: (s: Store) => first(s.list('homeEducationCounts'), 'home education count').id,
  department: (s: Store) => first(s.list('departments'), 'department').id,
  /** A provisional booking (not referred: booking officers may work on it). */
  provisionalBooking: (s: Store) =>
    first(
      s.list('bookings').filter((b) => b.status === 'provisional'),
      'provisional booking',
    ).id,
  hirer: (s: Store) =>
    first(
      s.list('hirers').filter((h) => !h.personalDataRemoved),
      'hirer',
    ).id,
  hall: (s: Store) => first(s.list('halls'), 'hall').id,
  watchlist: (s: Store) => first(s.list('watchlists'), 'watch list').id,
  trainingSession: (s: Store) => first(s.list('trainingSessions'), 'training session').id,
  planActivity: (s: Store) => first(s.list('planActivities'), 'action plan activity').id,
  spareUser: (s: Store) =>
    first(
      s.list('users').filter((u) => u.email === SPARE_USER_EMAIL),
      'spare user',
    ).id,
  spareToken: (s: Store) =>
    first(
      s.list('apiTokens').filter((t) => t.name === SPARE_TOKEN_NAME),
      'spare API token',
    ).id,
};

const everyone = (status: Expected): Record<Visitor, Expected> => ({
  anonymous: status,
  coordinator: status,
  facilities: status,
  'library-manager': status,
  education: status,
  viewer: status,
});

/**
 * Signed-in roles in `allowed` get `ok`; other roles get `refused` (403 by default); anonymous → LOGIN.
 */
function roles(allowed: Role[], ok: Expected, refused: Expected = 403): Record<Visitor, Expected> {
  const out = { ...everyone(refused), anonymous: LOGIN as Expected };
  for (const r of allowed) out[r] = ok;
  return out;
}

const ALL: Role[] = ['coordinator', 'facilities', 'library-manager', 'education', 'viewer'];
const PREMISES_STAFF: Role[] = ['coordinator', 'facilities'];
const COORDINATOR: Role[] = ['coordinator'];
const LIBRARY_STAFF: Role[] = ['coordinator', 'library-manager'];
const SCHOOL_STAFF: Role[] = ['coordinator', 'education'];
const READERS: Role[] = ['coordinator', 'viewer'];
const IMPORTERS: Role[] = ['coordinator', 'facilities', 'education'];
const LEAD = { id: ids.schoolWithTraining, leadId: ids.leadWithTraining };
/** A token shaped like a real one that no return has. */
const RETURN_LINK = { token: () => 'A'.repeat(43) };

export const routePolicy: Record<string, RoutePolicy> = {
  // Public pages and sign-in.
  'GET /health': { expect: everyone(200), token: 200 },
  'GET /accessibility': { expect: everyone(200) },
  'GET /privacy': { expect: everyone(200) },
  'GET /login': { expect: { ...everyone(303), anonymous: 200 } },
  'POST /login': { expect: everyone(400) },
  'POST /logout': { expect: everyone(303) },
  // Single sign-on: not configured for this test, so the routes are not there (see test/integration/auth/).
  'GET /auth/login': { expect: everyone(404) },
  'GET /auth/callback': { expect: everyone(404) },
  // The security code step: without a password just accepted, back to the sign-in page (or home).
  'GET /login/two-factor': { expect: { ...everyone(303), anonymous: LOGIN } },
  'POST /login/two-factor': { expect: { ...everyone(303), anonymous: LOGIN } },

  // Hall hire from the public (server/public/): no account; before sessions, so a bearer token changes
  // nothing. The form needs its own CSRF token (a cookie and a token made for it: the staff session's
  // token is refused, 403); the JSON API takes only application/json (this form post gets 415).
  'GET /hire': { expect: everyone(200), token: 200 },
  'POST /hire': { expect: everyone(403), token: 403 },
  'GET /hire/privacy': { expect: everyone(200), token: 200 },
  'GET /hire/:token': { params: { token: () => 'A'.repeat(43) }, expect: everyone(404), token: 404 },
  'POST /api/hire-requests': { expect: everyone(415), token: 415 },

  // Dashboard and API.
  'GET /': { expect: roles(ALL, 200) },
  'GET /my-actions': { expect: roles(ALL, 200) },
  'GET /api/flags': { expect: { ...roles(ALL, 200), anonymous: 401 } },

  // Premises (facilities and coordinators).
  'GET /premises': { expect: roles(PREMISES_STAFF, 200) },
  'GET /premises/new': { expect: roles(PREMISES_STAFF, 200) },
  'POST /premises': { expect: roles(PREMISES_STAFF, 400) },
  'GET /premises/:id': { params: { id: ids.premises }, expect: roles(PREMISES_STAFF, 200) },
  'GET /premises/:id/edit': { params: { id: ids.premises }, expect: roles(PREMISES_STAFF, 200) },
  'POST /premises/:id': { params: { id: ids.premises }, expect: roles(PREMISES_STAFF, 400) },

  // Reviews and actions: a subject the role may not see answers 404, as if it did not exist.
  'POST /reviews/start': {
    form: (s) => ({ subjectType: 'premises', subjectId: ids.premises(s) }),
    expect: roles(PREMISES_STAFF, 303, 404),
  },
  'GET /reviews/:id': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 200, 404),
  },
  // A submitted review cannot change: an allowed role gets the explanation (400), others 404.
  'POST /reviews/:id': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 400, 404),
  },
  // "Check your answers" is for a draft: a submitted review's sends the editor to the review (303).
  'GET /reviews/:id/check': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 303, 404),
  },
  // One section of a long checklist: a submitted review's sends the editor to the review (303); saving
  // one is refused with the reason (400).
  'GET /reviews/:id/section/:number': {
    params: { id: ids.submittedBookingReview, number: () => '1' },
    expect: roles(PREMISES_STAFF, 303, 404),
  },
  'POST /reviews/:id/section/:number': {
    params: { id: ids.submittedBookingReview, number: () => '1' },
    expect: roles(PREMISES_STAFF, 400, 404),
  },
  'GET /reviews/:id/confirmation': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 200, 404),
  },
  'GET /reviews/:id/actions/new': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 200, 404),
  },
  'POST /reviews/:id/actions': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 400, 404),
  },
  // The step after submitting an audit: offers actions for the answers of "no"; "skip" goes on to the
  // confirmation (nothing written).
  'GET /reviews/:id/follow-up': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 200, 404),
  },
  'POST /reviews/:id/follow-up': {
    params: { id: ids.submittedPremisesReview },
    form: () => ({ intent: 'skip' }),
    expect: roles(PREMISES_STAFF, 303, 404),
  },
  'POST /actions/:id/close': { params: { id: ids.premisesAction }, expect: roles(PREMISES_STAFF, 303, 404) },
  // Evidence files: read-only once the review is submitted (400 with the reason for those who may
  // edit the subject); others answer 404 as for the review. The upload is checked for rights before
  // its body is read (a plain form here: "select a file" if it were a draft).
  'POST /reviews/:id/evidence': {
    params: { id: ids.submittedPremisesReview },
    expect: roles(PREMISES_STAFF, 400, 404),
  },
  'GET /reviews/:id/evidence/:evidenceId/download': {
    params: { id: ids.submittedPremisesReview, evidenceId: ids.premisesEvidence },
    expect: roles(PREMISES_STAFF, 200, 404),
  },
  // The page confirming a removal: the same answers as the removal itself.
  'GET /reviews/:id/evidence/:evidenceId/remove': {
    params: { id: ids.submittedPremisesReview, evidenceId: ids.premisesEvidence },
    expect: roles(PREMISES_STAFF, 400, 404),
  },
  'POST /reviews/:id/evidence/:evidenceId/remove': {
    params: { id: ids.submittedPremisesReview, evidenceId: ids.premisesEvidence },
    expect: roles(PREMISES_STAFF, 400, 404),
  },

  // Libraries: coordinators, and a library manager for the libraries they manage (others answer 404;
  // see objectLevel.test.ts). The rows use a library the demo manager manages.
  // Hall hire: halls, bookings, hirers (coordinator and facilities); the watch list (coordinator).
  'GET /premises/:id/halls/new': { params: { id: ids.premises }, expect: roles(PREMISES_STAFF, 200) },
  'POST /premises/:id/halls': { params: { id: ids.premises }, expect: roles(PREMISES_STAFF, 400) },
  'GET /halls/:id/edit': { params: { id: ids.hall }, expect: roles(PREMISES_STAFF, 200) },
  'POST /halls/:id': { params: { id: ids.hall }, expect: roles(PREMISES_STAFF, 400) },
  'GET /bookings': { expect: roles(PREMISES_STAFF, 200) },
  'GET /bookings/new': { expect: roles(PREMISES_STAFF, 200) },
  'POST /bookings': { expect: roles(PREMISES_STAFF, 400) },
  'GET /bookings/:id': { params: { id: ids.provisionalBooking }, expect: roles(PREMISES_STAFF, 200) },
  'GET /bookings/:id/edit': { params: { id: ids.provisionalBooking }, expect: roles(PREMISES_STAFF, 200) },
  'POST /bookings/:id': { params: { id: ids.provisionalBooking }, expect: roles(PREMISES_STAFF, 400) },
  'POST /bookings/:id/screen': { params: { id: ids.provisionalBooking }, expect: roles(PREMISES_STAFF, 303) },
  'GET /bookings/:id/decision': {
    params: { id: ids.provisionalBooking },
    expect: roles(PREMISES_STAFF, 200),
  },
  'POST /bookings/:id/decision': {
    params: { id: ids.provisionalBooking },
    expect: roles(PREMISES_STAFF, 400),
  },
  'GET /bookings/:id/conditions': {
    params: { id: ids.provisionalBooking },
    expect: roles(PREMISES_STAFF, 200),
  },
  'GET /hirers': { expect: roles(PREMISES_STAFF, 200) },
  'GET /hirers/:id': { params: { id: ids.hirer }, expect: roles(PREMISES_STAFF, 200) },
  'GET /hirers/:id/export': { params: { id: ids.hirer }, expect: roles(['coordinator'], 200) },
  'GET /hirers/:id/edit': { params: { id: ids.hirer }, expect: roles(PREMISES_STAFF, 200) },
  'POST /hirers/:id': { params: { id: ids.hirer }, expect: roles(PREMISES_STAFF, 400) },
  'GET /watchlist': { expect: roles(COORDINATOR, 200) },
  'GET /watchlist/:id': { params: { id: ids.watchlist }, expect: roles(COORDINATOR, 200) },

  'GET /libraries': { expect: roles(LIBRARY_STAFF, 200) },
  'GET /libraries/:id': { params: { id: ids.managedLibrary }, expect: roles(LIBRARY_STAFF, 200) },
  'GET /libraries/:id/profile': { params: { id: ids.managedLibrary }, expect: roles(LIBRARY_STAFF, 200) },
  // A confirmation without its date and evidence: refused with 400, nothing saved.
  'POST /libraries/:id/profile': {
    params: { id: ids.managedLibrary },
    form: () => ({ iwfConfirmed: 'yes' }),
    expect: roles(LIBRARY_STAFF, 400),
  },
  'GET /libraries/:id/managers': { params: { id: ids.managedLibrary }, expect: roles(COORDINATOR, 200) },
  'POST /libraries/:id/managers': {
    params: { id: ids.managedLibrary },
    form: (s) => ({ managers: ids.managersOf(s, ids.managedLibrary(s)) }),
    expect: roles(COORDINATOR, 303),
  },
  'GET /libraries/:id/filter-tests/new': {
    params: { id: ids.managedLibrary },
    expect: roles(LIBRARY_STAFF, 200),
  },
  'POST /libraries/:id/filter-tests': {
    params: { id: ids.managedLibrary },
    expect: roles(LIBRARY_STAFF, 400),
  },
  'GET /api/libraries': { expect: { ...roles(LIBRARY_STAFF, 200), anonymous: 401 } },
  'GET /api/libraries/:id': {
    params: { id: ids.managedLibrary },
    expect: { ...roles(LIBRARY_STAFF, 200), anonymous: 401 },
  },

  // Schools, their Prevent leads and home education counts (education team and coordinators).
  'GET /schools': { expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/distribution': { expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/distribution.csv': { expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/home-education': { expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/home-education/new': { expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/home-education': { expect: roles(SCHOOL_STAFF, 400) },
  'GET /schools/home-education/:id/edit': {
    params: { id: ids.homeEducationCount },
    expect: roles(SCHOOL_STAFF, 200),
  },
  'POST /schools/home-education/:id': {
    params: { id: ids.homeEducationCount },
    expect: roles(SCHOOL_STAFF, 400),
  },
  'GET /schools/:id': { params: { id: ids.schoolWithTraining }, expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/:id/leads': { params: { id: ids.schoolWithTraining }, expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/:id/leads/another': {
    params: { id: ids.schoolWithTraining },
    expect: roles(SCHOOL_STAFF, 400),
  },
  'GET /schools/:id/leads/new': { params: { id: ids.schoolWithTraining }, expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/:id/leads': { params: { id: ids.schoolWithTraining }, expect: roles(SCHOOL_STAFF, 400) },
  'GET /schools/:id/leads/:leadId/edit': { params: LEAD, expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/:id/leads/:leadId': { params: LEAD, expect: roles(SCHOOL_STAFF, 400) },
  'GET /schools/:id/leads/:leadId/end': { params: LEAD, expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/:id/leads/:leadId/end': { params: LEAD, expect: roles(SCHOOL_STAFF, 400) },
  // Confirming the contact details again is harmless to repeat.
  'POST /schools/:id/leads/:leadId/confirm': {
    params: LEAD,
    form: (s) => ({ version: String(s.get('preventLeads', ids.leadWithTraining(s))!.version) }),
    expect: roles(SCHOOL_STAFF, 303),
  },
  'GET /schools/:id/leads/:leadId/training/new': { params: LEAD, expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/:id/leads/:leadId/training': { params: LEAD, expect: roles(SCHOOL_STAFF, 400) },
  // Removing asks first: the page, and a POST without its "Yes, remove" shows it again, removing nothing.
  'GET /schools/:id/leads/:leadId/training/:trainingId/remove': {
    params: { ...LEAD, trainingId: ids.leadTraining },
    expect: roles(SCHOOL_STAFF, 200),
  },
  'POST /schools/:id/leads/:leadId/training/:trainingId/remove': {
    params: { ...LEAD, trainingId: ids.leadTraining },
    expect: roles(SCHOOL_STAFF, 200),
  },

  // Schools' annual returns and bulletins (education and coordinators). "Selected" with none ticked changes nothing.
  'GET /schools/returns': { expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/returns': { form: () => ({ scope: 'selected' }), expect: roles(SCHOOL_STAFF, 303) },
  'GET /schools/bulletins': { expect: roles(SCHOOL_STAFF, 200) },
  'GET /schools/bulletins/new': { expect: roles(SCHOOL_STAFF, 200) },
  'POST /schools/bulletins/preview': { expect: roles(SCHOOL_STAFF, 400) },
  'POST /schools/bulletins': { expect: roles(SCHOOL_STAFF, 400) },

  // A school's return by its personal link: no account; the link is the only credential, and one that
  // does not open answers 404 to everyone, signed in or not, with or without an API token.
  'GET /r/privacy': { expect: everyone(200), token: 200 },
  'GET /r/:token': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'GET /r/:token/leads': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'POST /r/:token/leads': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'GET /r/:token/training': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'POST /r/:token/training': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'POST /r/:token/training/done': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'GET /r/:token/training/:key/remove': {
    params: { ...RETURN_LINK, key: () => 'no-such-training' },
    expect: everyone(404),
    token: 404,
  },
  'POST /r/:token/training/:key/remove': {
    params: { ...RETURN_LINK, key: () => 'no-such-training' },
    expect: everyone(404),
    token: 404,
  },
  'GET /r/:token/audit': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'POST /r/:token/audit': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'GET /r/:token/check': { params: RETURN_LINK, expect: everyone(404), token: 404 },
  'POST /r/:token/submit': { params: RETURN_LINK, expect: everyone(404), token: 404 },

  // Staff training, the action plan and the board report: coordinators change them; viewers read them.
  'GET /training': { expect: roles(READERS, 200) },
  'GET /training/departments/new': { expect: roles(COORDINATOR, 200) },
  'POST /training/departments': { expect: roles(COORDINATOR, 400) },
  'GET /training/departments/:id': { params: { id: ids.department }, expect: roles(READERS, 200) },
  'GET /training/departments/:id/edit': { params: { id: ids.department }, expect: roles(COORDINATOR, 200) },
  'POST /training/departments/:id': { params: { id: ids.department }, expect: roles(COORDINATOR, 400) },
  'GET /training/sessions/new': { expect: roles(COORDINATOR, 200) },
  'POST /training/sessions': { expect: roles(COORDINATOR, 400) },
  'GET /training/sessions/:id/edit': { params: { id: ids.trainingSession }, expect: roles(COORDINATOR, 200) },
  'POST /training/sessions/:id': { params: { id: ids.trainingSession }, expect: roles(COORDINATOR, 400) },
  'GET /training/sessions/:id/delete': {
    params: { id: ids.trainingSession },
    expect: roles(COORDINATOR, 200),
  },
  // Without the confirmation page's "Yes, remove", the page is shown again and nothing is removed.
  'POST /training/sessions/:id/delete': {
    params: { id: ids.trainingSession },
    expect: roles(COORDINATOR, 200),
  },
  'GET /plan': { expect: roles(READERS, 200) },
  'POST /plan/setup': { expect: roles(COORDINATOR, 400) },
  'GET /plan/edit': { expect: roles(COORDINATOR, 200) },
  'POST /plan/edit': { expect: roles(COORDINATOR, 400) },
  'GET /plan/activities/new': { expect: roles(COORDINATOR, 200) },
  'POST /plan/activities': { expect: roles(COORDINATOR, 400) },
  'GET /plan/activities/:id/edit': { params: { id: ids.planActivity }, expect: roles(COORDINATOR, 200) },
  'POST /plan/activities/:id': { params: { id: ids.planActivity }, expect: roles(COORDINATOR, 400) },
  'POST /plan/activities/:id/notes': { params: { id: ids.planActivity }, expect: roles(COORDINATOR, 400) },
  'GET /plan/activities/:id/notes/new': { params: { id: ids.planActivity }, expect: roles(COORDINATOR, 200) },
  'GET /report': { expect: roles(READERS, 200) },
  'GET /report/download': { query: 'format=csv', expect: roles(READERS, 200) },

  // Users (coordinators only).
  'GET /users': { expect: roles(COORDINATOR, 200) },
  'GET /users/new': { expect: roles(COORDINATOR, 200) },
  'POST /users': { expect: roles(COORDINATOR, 400) },
  'POST /users/:id/deactivate': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },
  'POST /users/:id/reactivate': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },
  'POST /users/:id/unlock': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },
  'POST /users/:id/reset-password': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },
  'POST /users/:id/reset-two-factor': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },
  'GET /users/:id/edit': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 200) },
  'POST /users/:id': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 400) },
  'POST /users/:id/invite': { params: { id: ids.spareUser }, expect: roles(COORDINATOR, 303) },

  // First run and invitations: the secret link is the only credential; the demo has accounts, so setup
  // is gone, and an unknown invitation is 404 to all.
  'GET /setup/:token': { params: { token: () => 'A'.repeat(43) }, expect: everyone(404) },
  'POST /setup/:token': { params: { token: () => 'A'.repeat(43) }, expect: everyone(404) },
  'GET /invitation/:token': { params: { token: () => 'A'.repeat(43) }, expect: everyone(404) },
  'POST /invitation/:token': { params: { token: () => 'A'.repeat(43) }, expect: everyone(404) },

  // Imports (coordinators every kind, facilities and education their own; which kinds: checks/importRules.ts).
  'GET /imports': { expect: roles(IMPORTERS, 200) },
  'POST /imports': { expect: roles(IMPORTERS, 400) },
  // Previews belong to whoever uploaded them; an unknown one is 404.
  'GET /imports/:id': { params: { id: () => 'no-such-import' }, expect: roles(IMPORTERS, 404) },
  'POST /imports/:id/apply': { params: { id: () => 'no-such-import' }, expect: roles(IMPORTERS, 404) },
  'POST /imports/:id/refresh': { params: { id: () => 'no-such-import' }, expect: roles(IMPORTERS, 404) },

  // Your own account (every signed-in user, only ever their own).
  'GET /account': { expect: roles(ALL, 200) },
  'GET /account/password': { expect: roles(ALL, 200) },
  'POST /account/password': { expect: roles(ALL, 400) },
  'POST /account/sign-out-everywhere': { expect: roles(ALL, 303) },
  // Two-factor: enrolment (nothing to confirm without the page's secret) and recovery codes (none to show).
  'GET /account/two-factor': { expect: roles(ALL, 200) },
  'POST /account/two-factor': { expect: roles(ALL, 303) },
  'GET /account/two-factor/recovery-codes': { expect: roles(ALL, 303) },
  'POST /account/two-factor/recovery-codes': { expect: roles(ALL, 303) },
  'GET /account/calendar': { expect: roles(ALL, 200) },
  'POST /account/calendar': { expect: roles(ALL, 303) },
  'POST /account/calendar/revoke': { expect: roles(ALL, 303) },

  // Calendar feeds: the secret token in the URL is the only credential; an unknown one is 404 to all.
  'GET /calendar/:file': {
    params: { file: () => `${'A'.repeat(43)}.ics` },
    expect: everyone(404),
    token: 404,
  },

  // Reminder log (coordinators only).
  'GET /reminders': { expect: roles(COORDINATOR, 200) },
  'POST /reminders/run': { expect: roles(COORDINATOR, 303) },

  // API tokens and the audit log (coordinators only).
  'GET /tokens': { expect: roles(COORDINATOR, 200) },
  'POST /tokens': { expect: roles(COORDINATOR, 400) },
  'POST /tokens/:id/revoke': { params: { id: ids.spareToken }, expect: roles(COORDINATOR, 303) },
  'GET /audit': { expect: roles(COORDINATOR, 200) },
  'GET /audit/export.csv': { expect: roles(COORDINATOR, 200) },
};

/**
 * WHO MAY ACT ON A BOOKING IN WHICH STATE (SPEC §10) — `bookingStateMatrix.test.ts` requests every
 * route below on a booking in each state, as each role, and checks a refused request changed nothing.
 * Once a booking is referred, or a coordinator decided it, only the coordinator may write to it.
 */
export const bookingStates = ['provisional', 'checks-complete', 'referred', 'coordinator-decided'] as const;
export type BookingStateName = (typeof bookingStates)[number];

/** A booking in `state` from the demo data; for the open states, one whose hirer has no protected booking. */
export function bookingIn(s: Store, state: BookingStateName): string {
  const coordinatorDecided = new Set(
    s
      .list('bookingDecisions')
      .filter((d) => d.decidedByRole === 'coordinator')
      .map((d) => d.bookingId),
  );
  const protectedBooking = (id: string, status: string) =>
    status === 'referred' || coordinatorDecided.has(id);
  const hirerIsOpen = (hirerId: string) =>
    s.list('bookings').every((b) => b.hirerId !== hirerId || !protectedBooking(b.id, b.status));
  const found = s.list('bookings').find((b) => {
    if (state === 'coordinator-decided') return coordinatorDecided.has(b.id);
    if (state === 'referred') return b.status === 'referred' && !coordinatorDecided.has(b.id);
    return b.status === state && !coordinatorDecided.has(b.id) && hirerIsOpen(b.hirerId);
  });
  if (!found) throw new Error(`The demo data has no booking that is ${state}`);
  return found.id;
}

interface StateRoute {
  /** What an allowed role gets (an empty form: 400; a harmless action: 303; a page: 200). */
  ok: Expected;
  /** Fields of a POST (the CSRF token is added). */
  form?: (s: Store, bookingId: string) => Record<string, string>;
  /** The path's record: the booking (default) or its hirer. */
  on?: 'booking' | 'hirer';
  /** Writes facilities may still do once the coordinator has the booking (screening records only). */
  facilitiesAlways?: boolean;
}

export const bookingStateRoutes: Record<string, StateRoute> = {
  'GET /bookings/:id/edit': { ok: 200 },
  'POST /bookings/:id': { ok: 400 },
  'GET /bookings/:id/decision': { ok: 200 },
  'POST /bookings/:id/decision': { ok: 400 },
  'POST /bookings/:id/screen': { ok: 303, facilitiesAlways: true },
  'GET /hirers/:id/edit': { ok: 200, on: 'hirer' },
  'POST /hirers/:id': { ok: 400, on: 'hirer' },
  'POST /reviews/start': { ok: 303, form: (_s, id) => ({ subjectType: 'booking', subjectId: id }) },
};

/** The expected answer of one state route, for one visitor, on a booking in one state. */
export function bookingStateExpect(route: StateRoute, state: BookingStateName, visitor: Visitor): Expected {
  if (visitor === 'anonymous') return LOGIN;
  if (visitor === 'coordinator') return route.ok;
  if (visitor !== 'facilities') return route.form && route.ok === 303 ? 404 : 403;
  const coordinatorHasIt = state === 'referred' || state === 'coordinator-decided';
  return coordinatorHasIt && !route.facilitiesAlways ? 403 : route.ok;
}
