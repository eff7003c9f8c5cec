import { latestReviews } from '../../checks/flags/periodicReviewFlags.js';
import { actionsPutRightBy, failedTestAction } from '../../checks/filterTestActions.js';
import { failedCategories } from '../../checks/flags/filterTestFlags.js';
import { policyDocNames, providerChanged } from '../../checks/libraryFiltering.js';
import { formatDate, londonDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { FilteringProfile, FilterTest, Library } from '../../data/schemas/librarySchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import type { FilterTestInput } from '../forms/libraryForms.js';
import { notFound } from '../errors.js';
import type { ReviewFact, SubjectRegistry } from './subjectRegistry.js';
import { InputError } from '../errors.js';

/** Coordinators see every library; a library manager only the libraries assigned to them. */
export function canAccessLibrary(user: User, libraryId: string): boolean {
  if (user.role === 'coordinator') return true;
  return user.role === 'library-manager' && user.libraryIds.includes(libraryId);
}

export const isClosed = (library: Library) => library.yearClosed !== null;

export function describeFilterTest(test: FilterTest): string {
  const result =
    test.result === 'blocked'
      ? 'everything tried was blocked'
      : `${failedCategories(test).join(', ')} should have been blocked and ${failedCategories(test).length > 1 ? 'were' : 'was'} not`;
  return `${formatDate(test.testedOn)}, ${test.deviceOrNetwork}: ${result}`;
}

/** The register of public libraries, their filtering profiles, managers and filter tests. */
/** What other areas do inside a library's own changes (e.g. record the email a failed filter test owes). */
export interface LibraryHooks {
  filterTested?: (tx: Transaction, test: FilterTest) => void;
}

export function createLibraryService(store: Store, subjects: SubjectRegistry, hooks: LibraryHooks = {}) {
  const managersOf = (libraryId: string): User[] =>
    store
      .list('users')
      .filter((u) => u.role === 'library-manager' && u.libraryIds.includes(libraryId))
      .sort((a, b) => a.name.localeCompare(b.name));

  function filterTests(libraryId: string): FilterTest[] {
    return store
      .list('filterTests')
      .filter((t) => t.libraryId === libraryId)
      .sort((a, b) => b.testedOn.localeCompare(a.testedOn) || b.createdAt.localeCompare(a.createdAt));
  }

  const lastFilterTest = (libraryId: string): FilterTest | undefined => filterTests(libraryId)[0];

  function reviewFacts(s: Store, libraryId: string): ReviewFact[] {
    const library = s.get('libraries', libraryId);
    if (!library) return [];
    const f = library.filtering;
    const last = lastFilterTest(libraryId);
    const confirmation = (c: FilteringProfile['iwf']) =>
      c.confirmed ? `Yes, on ${formatDate(c.on)} (evidence: ${c.evidence})` : 'Not confirmed';
    const doc = (key: keyof typeof policyDocNames) => {
      const d = f[key];
      return d.approvedOn
        ? `Version ${d.version}, approved ${formatDate(d.approvedOn)}, next review ${formatDate(d.nextReview)}`
        : 'No approved version recorded';
    };
    return [
      { key: 'Last filter test', value: last ? describeFilterTest(last) : 'No filter test recorded' },
      {
        key: 'Filtering provider',
        value: f.provider ? `${f.provider}${f.product ? ` (${f.product})` : ''}` : 'Not recorded',
      },
      { key: 'IWF membership confirmed', value: confirmation(f.iwf) },
      { key: 'CTIRU list blocking confirmed', value: confirmation(f.ctiru) },
      {
        key: 'Blocked categories',
        value: f.blockedCategories.length ? f.blockedCategories.join(', ') : 'None recorded',
      },
      ...Object.entries(policyDocNames).map(([key, name]) => ({
        key: name,
        value: doc(key as keyof typeof policyDocNames),
      })),
    ];
  }

  subjects.register({
    type: 'library',
    templateId: 'library-attestation',
    reviewName: 'Library internet-access attestation',
    describe(s, id) {
      const l = s.get('libraries', id);
      return l
        ? {
            type: 'library',
            id: l.id,
            ref: l.name,
            name: l.name,
            href: `/libraries/${l.id}`,
            ownerEmails: managersOf(l.id)
              .filter((u) => u.active)
              .map((u) => u.email),
            ...(isClosed(l)
              ? { notReviewed: `${l.name} closed in ${l.yearClosed}: closed libraries are not attested` }
              : {}),
          }
        : undefined;
    },
    canView: canAccessLibrary,
    canEdit: canAccessLibrary,
    reviewFacts,
  });

  /** The library if this user may see it; otherwise 404, whether or not it exists. */
  function getFor(user: User, id: string): Library {
    const library = store.get('libraries', id);
    if (!library || !canAccessLibrary(user, id)) throw notFound();
    return library;
  }

  function visibleTo(user: User): Library[] {
    return store
      .list('libraries')
      .filter((l) => canAccessLibrary(user, l.id))
      .sort((a, b) => a.name.localeCompare(b.name) || a.service.localeCompare(b.service));
  }

  /** An attestation submitted after the change that made a new one due, or the change is still pending. */
  function pendingReattestation(library: Library, latest: Review | undefined) {
    const re = library.reattestation;
    if (!re) return null;
    return latest?.submittedAt && latest.submittedAt >= re.since ? null : re;
  }

  const latestAttestation = (libraryId: string): Review | undefined =>
    latestReviews(
      store.list('reviews').filter((r) => r.subjectType === 'library' && r.subjectId === libraryId),
    ).get(`library:${libraryId}`);

  return {
    getFor,
    visibleTo,
    managersOf,
    filterTests,
    lastFilterTest,
    reviewFacts: (id: string) => reviewFacts(store, id),
    latestAttestation,
    pendingReattestation,
    /** Latest submitted attestation of every library, in one pass (for the list). */
    latestAttestations: () => latestReviews(store.list('reviews')),
    services: () => [...new Set(store.list('libraries').map((l) => l.service))].sort(),
    managerCandidates: () =>
      store
        .list('users')
        .filter((u) => u.role === 'library-manager')
        .sort((a, b) => a.name.localeCompare(b.name)),

    /**
     * Saves the filtering profile over the version the user opened (ConflictError when it changed since).
     * A new filtering provider makes a new attestation due from today.
     */
    async updateProfile(
      user: User,
      id: string,
      profile: FilteringProfile,
      version: number,
    ): Promise<Library> {
      const library = getFor(user, id);
      const now = store.now();
      return store.transact(user.email, (tx) => {
        const before = library.filtering.provider;
        let reattestation = library.reattestation;
        if (providerChanged(before, profile.provider)) {
          const pending = pendingReattestation(library, latestAttestation(id));
          const change = profile.provider
            ? `the filtering provider changed from ${before} to ${profile.provider}`
            : `the filtering provider ${before} was removed`;
          reattestation = {
            // Still due from the first change when an earlier one has not been attested yet.
            dueFrom: pending?.dueFrom ?? londonDate(now),
            since: now.toISOString(),
            reason: `${change} on ${formatDate(londonDate(now))}`,
          };
        }
        return tx.update('libraries', id, { filtering: profile, reattestation }, version);
      });
    },

    /** Assigns the library's managers (coordinators only): the library-manager accounts ticked. */
    async setManagers(actor: User, id: string, userIds: string[]): Promise<User[]> {
      const library = getFor(actor, id);
      const wanted = new Set(userIds);
      const candidates = store.list('users').filter((u) => u.role === 'library-manager');
      const known = new Set(candidates.map((u) => u.id));
      if ([...wanted].some((u) => !known.has(u))) {
        throw new InputError({
          managers: { text: 'Select library managers from the list', href: '#managers' },
        });
      }
      await store.transact(actor.email, (tx) => {
        for (const u of candidates) {
          const has = u.libraryIds.includes(library.id);
          if (wanted.has(u.id) && !has)
            tx.update('users', u.id, { libraryIds: [...u.libraryIds, library.id] });
          if (!wanted.has(u.id) && has)
            tx.update('users', u.id, { libraryIds: u.libraryIds.filter((l) => l !== library.id) });
        }
      });
      return managersOf(library.id);
    },

    /**
     * Records a filter test. A failed one raises an action in the same change, owned by the library's
     * manager (the one recording it, if they manage it), so somebody owns putting it right; a passing one
     * closes the actions of earlier failed tests whose categories it tried again.
     */
    async addFilterTest(user: User, id: string, input: FilterTestInput): Promise<FilterTest> {
      const library = getFor(user, id);
      const managers = managersOf(library.id).filter((u) => u.active);
      const owner = managers.find((u) => u.id === user.id) ?? managers[0];
      const now = store.now().toISOString();
      return store.transact(user.email, (tx) => {
        const test = tx.insert('filterTests', { libraryId: library.id, ...input, recordedBy: user.email });
        hooks.filterTested?.(tx, test);
        if (test.result === 'not-blocked') {
          tx.insert('actions', {
            subjectType: 'library',
            subjectId: library.id,
            reviewId: null,
            questionId: null,
            ...failedTestAction(test),
            ownerEmail: owner?.email ?? null,
            status: 'open',
            closedAt: null,
            closedBy: null,
            closingNote: null,
            filterTestId: test.id,
          });
        }
        const putRight = actionsPutRightBy(test, store.list('actions'), (t) => store.get('filterTests', t));
        for (const a of putRight) {
          tx.update('actions', a.id, {
            status: 'closed',
            closedAt: now,
            closedBy: user.email,
            closingNote: `Everything tried was blocked in the filter test on ${formatDate(test.testedOn)} (${test.deviceOrNetwork})`,
          });
        }
        return test;
      });
    },
  };
}

export type LibraryService = ReturnType<typeof createLibraryService>;
