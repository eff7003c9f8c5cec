import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/**
 * Object-level access for every record type a role may hold today: premises, their reviews and actions
 * (coordinators and facilities), and user accounts (each user only their own; coordinators manage the
 * rest). A record a role may not see answers exactly like a record that does not exist.
 */
/** A page without what differs on every request (CSP nonce, CSRF token). */
const sameButNonces = (html: string) => html.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]{20,}"/g, '');

describe('Security: object-level access', () => {
  let t: TestApp;
  let outsiders: Record<'library-manager' | 'education' | 'viewer', TestAgent>;
  before(async () => {
    t = await startTestApp();
    outsiders = {
      'library-manager': await t.signIn('libraries@demo.test'),
      education: await t.signIn('education@demo.test'),
      viewer: await t.signIn('viewer@demo.test'),
    };
  });
  after(() => t.close());

  it('when a role without premises asks for any premises record by id, then it is refused and nothing is shown', async () => {
    for (const [role, a] of Object.entries(outsiders)) {
      for (const p of t.store.list('premises')) {
        const res = await a.get(`/premises/${p.id}`);
        expect(res.status, `${role} ${p.ref}`).to.equal(403);
        expect(res.text).to.not.include(p.ref);
      }
    }
  });

  it('when a role without premises asks for any premises review, then it answers 404 exactly as for a review that does not exist', async () => {
    const reviews = t.store.list('reviews').filter((r) => r.subjectType === 'premises');
    expect(reviews.length).to.be.greaterThan(3);
    for (const [role, a] of Object.entries(outsiders)) {
      const missing = await a.get('/reviews/no-such-review');
      for (const r of reviews) {
        const res = await a.get(`/reviews/${r.id}`);
        expect(res.status, `${role} review ${r.id}`).to.equal(404);
        expect(sameButNonces(res.text)).to.equal(sameButNonces(missing.text));
        expect((await a.get(`/reviews/${r.id}/actions/new`)).status).to.equal(404);
      }
    }
  });

  it('when a role without premises tries to change a premises review, start one, raise or close an action, then it answers 404 and nothing changes', async () => {
    const premises = itemAt(t.store.list('premises'), 0);
    const coordinator = t.services.users.byEmail('coordinator@demo.test')!;
    const draft = await t.services.reviews.start(coordinator, 'premises', premises.id, false);
    const submitted = t.store.list('reviews').find((r) => r.status === 'submitted')!;
    const openAction = t.store
      .list('actions')
      .find((a) => a.status === 'open' && a.subjectType === 'premises')!;
    const revision = t.store.revision;
    for (const [role, a] of Object.entries(outsiders)) {
      const res = await a.post(`/reviews/${draft.id}`, { notes: 'changed', version: String(draft.version) });
      expect(res.status, `${role} saves a draft`).to.equal(404);
      expect((await a.post(`/reviews/${submitted.id}/actions`, { description: 'x' })).status, role).to.equal(
        404,
      );
      expect((await a.post(`/actions/${openAction.id}/close`)).status, role).to.equal(404);
      const start = await a.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
      expect(start.status, `${role} starts a review`).to.equal(404);
    }
    expect(t.store.revision).to.equal(revision);
    expect(t.store.get('actions', openAction.id)!.status).to.equal('open');
  });

  it('when a role without premises reads the flags (page or API), then no premises or their actions are among them', async () => {
    const premisesIds = new Set(t.store.list('premises').map((p) => p.id));
    const premisesActions = new Set(
      t.store
        .list('actions')
        .filter((a) => a.subjectType === 'premises')
        .map((a) => a.id),
    );
    for (const role of ['library-manager', 'education'] as const) {
      const flags = (await outsiders[role].get('/api/flags')).body as {
        subject: { type: string; id: string };
      }[];
      const leaked = flags.filter(
        (f) =>
          (f.subject.type === 'premises' && premisesIds.has(f.subject.id)) ||
          (f.subject.type === 'action' && premisesActions.has(f.subject.id)),
      );
      expect(leaked, role).to.deep.equal([]);
    }
    const facilities = await t.signIn('facilities@demo.test');
    const theirs = (await facilities.get('/api/flags')).body as { subject: { type: string } }[];
    expect(theirs.some((f) => f.subject.type === 'premises')).to.equal(true);
  });

  it('when a role without libraries asks for any library, its reviews or its API record, then it is refused or not found', async () => {
    const facilities = await t.signIn('facilities@demo.test');
    const others = { facilities, education: outsiders.education, viewer: outsiders.viewer };
    const libraryReviews = t.store.list('reviews').filter((r) => r.subjectType === 'library');
    expect(libraryReviews.length).to.be.greaterThan(0);
    for (const [role, a] of Object.entries(others)) {
      for (const l of t.store.list('libraries')) {
        expect((await a.get(`/libraries/${l.id}`)).status, `${role} ${l.name}`).to.equal(403);
        expect((await a.get(`/api/libraries/${l.id}`)).status, `${role} API ${l.name}`).to.equal(403);
      }
      for (const r of libraryReviews) expect((await a.get(`/reviews/${r.id}`)).status, role).to.equal(404);
    }
  });

  it('when a user acts on "their" account, then only their own account changes, whatever id the form names', async () => {
    const viewer = t.services.users.byEmail('viewer@demo.test')!;
    const viewerHash = viewer.passwordHash;
    const coordinator = t.services.users.byEmail('coordinator@demo.test')!;
    const epoch = coordinator.sessionEpoch;
    const hash = coordinator.passwordHash;
    const a = await t.signIn('viewer@demo.test');
    await a.post('/account/sign-out-everywhere', { id: coordinator.id, userId: coordinator.id });
    const again = await t.signIn('viewer@demo.test');
    await again.post('/account/password', {
      id: coordinator.id,
      userId: coordinator.id,
      current: 'DueRegard-demo-1',
      password: 'taken over by viewer',
      confirm: 'taken over by viewer',
    });
    expect(t.services.users.get(coordinator.id)!.sessionEpoch).to.equal(epoch);
    expect(t.services.users.get(coordinator.id)!.passwordHash).to.equal(hash);
    expect(t.services.users.get(viewer.id)!.passwordHash).to.not.equal(viewerHash);
  });

  it('when a non-coordinator tries to manage another user or token by id, then it is refused and nothing changes', async () => {
    const coordinator = t.services.users.byEmail('coordinator@demo.test')!;
    const { record } = await t.services.apiTokens.create('test', 'Kept');
    const facilities = await t.signIn('facilities@demo.test');
    const revision = t.store.revision;
    for (const a of [facilities, ...Object.values(outsiders)]) {
      for (const action of ['deactivate', 'reactivate', 'unlock', 'reset-password']) {
        expect((await a.post(`/users/${coordinator.id}/${action}`)).status, action).to.equal(403);
      }
      expect((await a.post(`/tokens/${record.id}/revoke`)).status).to.equal(403);
    }
    expect(t.store.revision).to.equal(revision);
  });
});
