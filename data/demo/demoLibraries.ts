import type { FilteringProfile } from '../schemas/librarySchemas.js';
import type { Transaction } from '../store/store.js';
import type { DemoIds } from './demoBorough.js';
import type { DemoContext } from './demoContext.js';

const QUESTIONS = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L11', 'L12', 'L13', 'L14'];
const CRITICAL = ['L1', 'L2', 'L3', 'L4', 'L6', 'L7', 'L8', 'L11'];
const SERVICE = 'Northbrook Council';
const MANAGER = 'libraries@demo.test';

function answers(no: string[]) {
  return Object.fromEntries(
    QUESTIONS.map((id) => [
      id,
      {
        answer: no.includes(id) ? ('no' as const) : ('yes' as const),
        reason: null,
        note: null,
        toConfirm: false,
      },
    ]),
  );
}

function profile(ctx: DemoContext, overrides: Partial<FilteringProfile> = {}): FilteringProfile {
  const approved = ctx.addMonths(ctx.today, -5);
  const doc = (version: string) => ({
    version,
    approvedOn: approved,
    nextReview: ctx.addMonths(approved, 12),
    url: 'Northbrook Council policy library',
  });
  return {
    provider: 'Northbrook ICT Shared Service',
    product: 'Netsweeper',
    iwf: { confirmed: true, on: ctx.addMonths(ctx.today, -6), evidence: 'Provider letter ICT-2291' },
    ctiru: { confirmed: true, on: ctx.addMonths(ctx.today, -6), evidence: 'Provider letter ICT-2291' },
    blockedCategories: [
      'Discrimination',
      'Extremism',
      'Gambling',
      'Malware / hacking',
      'Pornography',
      'Violence',
    ],
    childProfile: true,
    childAgeThreshold: 16,
    publicPcCount: 12,
    publicWifi: 'filtered',
    filteringPolicy: doc('3.1'),
    accessAgreement: doc('2.0'),
    inappropriateUsePolicy: doc('1.4'),
    ...overrides,
  };
}

/** "14 December 2025", as the attestation statement shows dates. */
function govukDate(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

interface DemoLibrary {
  name: string;
  postcode: string;
  managed: boolean;
  yearClosed?: number;
  /** Months (and extra days) ago of the last attestation, or null for never attested. */
  attestedMonthsAgo: number | null;
  extraDays?: number;
  no?: string[];
  profile?: Partial<FilteringProfile>;
  /** Days ago the filtering provider changed after the last attestation. */
  providerChangedDaysAgo?: number;
  /** Days ago of each filter test, with its result. */
  tests?: { daysAgo: number; blocked: boolean }[];
}

/**
 * Northbrook's libraries, so every library state and flag shows: due soon and partially compliant
 * (Central), a provider change making a new attestation due (Westfield) — both managed by
 * libraries@demo.test — non-compliant with an overdue action (Hillcrest), never attested (Eastgate),
 * and a closed library that is never flagged (Southmead).
 */
const demoLibraries: DemoLibrary[] = [
  {
    name: 'Northbrook Central Library',
    postcode: 'NB1 2CL',
    managed: true,
    attestedMonthsAgo: 11,
    extraDays: 10,
    no: ['L10'],
    tests: [
      { daysAgo: 20, blocked: true },
      { daysAgo: 110, blocked: true },
    ],
  },
  {
    name: 'Westfield Library',
    postcode: 'NB5 6WL',
    managed: true,
    attestedMonthsAgo: 3,
    providerChangedDaysAgo: 5,
    profile: { provider: 'Smoothwall', product: 'Smoothwall Filter' },
    tests: [{ daysAgo: 40, blocked: true }],
  },
  {
    name: 'Hillcrest Library',
    postcode: 'NB3 2HL',
    managed: false,
    attestedMonthsAgo: 4,
    no: ['L1'],
    profile: { publicWifi: 'unfiltered' },
    tests: [{ daysAgo: 130, blocked: false }],
  },
  {
    name: 'Eastgate Library',
    postcode: 'NB4 5EL',
    managed: false,
    attestedMonthsAgo: null,
    profile: {
      provider: null,
      product: null,
      iwf: { confirmed: false, on: null, evidence: null },
      ctiru: { confirmed: false, on: null, evidence: null },
      blockedCategories: [],
    },
  },
  {
    name: 'Southmead Library',
    postcode: 'NB6 1SL',
    managed: false,
    yearClosed: 2023,
    attestedMonthsAgo: null,
  },
];

export function demoLibrariesPart(tx: Transaction, ctx: DemoContext, ids: DemoIds): void {
  const managed: string[] = [];
  for (const d of demoLibraries) {
    const changedOn =
      d.providerChangedDaysAgo === undefined ? null : ctx.addDays(ctx.today, -d.providerChangedDaysAgo);
    const library = tx.insert('libraries', {
      service: SERVICE,
      name: d.name,
      address: `${d.name}, Northbrook`,
      postcode: d.postcode,
      uprn: null,
      type: 'LAL',
      statutory: d.yearClosed === undefined,
      yearOpened: null,
      yearClosed: d.yearClosed ?? null,
      contactEmail: null,
      filtering: profile(ctx, d.profile),
      reattestation: changedOn
        ? {
            dueFrom: changedOn,
            since: `${changedOn}T09:00:00.000Z`,
            reason: `the filtering provider changed from Northbrook ICT Shared Service to Smoothwall on ${govukDate(changedOn)}`,
          }
        : null,
    });
    if (d.managed) managed.push(library.id);
    for (const t of d.tests ?? []) {
      const test = tx.insert('filterTests', {
        libraryId: library.id,
        testedOn: ctx.addDays(ctx.today, -t.daysAgo),
        deviceOrNetwork: t.blocked ? 'Public PC 2 and public Wi-Fi' : 'Public Wi-Fi on a phone',
        categoriesTried: ['Extremism', 'Discrimination', 'Violence', 'Gambling'],
        result: t.blocked ? 'blocked' : 'not-blocked',
        categoriesNotBlocked: t.blocked ? [] : ['Extremism'],
        notes: t.blocked ? null : 'Extremist forum reachable over Wi-Fi; reported to ICT the same day',
        recordedBy: d.managed ? MANAGER : 'coordinator@demo.test',
      });
      // A failed test raises its action by itself, as recording one in the app does (still open here).
      if (!t.blocked) {
        tx.insert('actions', {
          subjectType: 'library',
          subjectId: library.id,
          reviewId: null,
          questionId: null,
          description: `Get the filter to block Extremism: not blocked in the filter test on ${govukDate(test.testedOn)} (${test.deviceOrNetwork})`,
          ownerEmail: null,
          dueOn: ctx.addDays(test.testedOn, 7),
          status: 'open',
          closedAt: null,
          closedBy: null,
          closingNote: null,
          filterTestId: test.id,
        });
      }
    }
    if (d.attestedMonthsAgo === null) continue;
    const completedOn = ctx.addDays(ctx.addMonths(ctx.today, -d.attestedMonthsAgo), -(d.extraDays ?? 0));
    const no = d.no ?? [];
    const attestedBy = d.managed
      ? { email: MANAGER, name: 'Lee Libraries', role: 'Library manager' }
      : { email: 'coordinator@demo.test', name: 'Casey Coordinator', role: 'Prevent coordinator' };
    const review = tx.insert('reviews', {
      templateId: 'library-attestation',
      templateVersion: 1,
      subjectType: 'library',
      subjectId: library.id,
      status: 'submitted',
      answers: answers(no),
      notes: null,
      evidence: [],
      startedBy: attestedBy.email,
      startedFrom: null,
      submittedBy: attestedBy.email,
      submittedAt: `${completedOn}T10:00:00.000Z`,
      completedOn,
      outcome: no.some((q) => CRITICAL.includes(q))
        ? 'non-compliant'
        : no.length
          ? 'partially-compliant'
          : 'compliant',
      nextDue: ctx.addMonths(completedOn, 12),
      attestation: {
        name: attestedBy.name,
        role: attestedBy.role,
        statement: `I confirm that the answers above are accurate for ${d.name} as at ${govukDate(completedOn)}.`,
        at: `${completedOn}T10:00:00.000Z`,
        templateVersion: 1,
      },
    });
    for (const q of no) {
      tx.insert('actions', {
        subjectType: 'library',
        subjectId: library.id,
        reviewId: review.id,
        questionId: q,
        description:
          q === 'L1'
            ? 'Put the public Wi-Fi behind the council’s web filter'
            : 'Write down how users ask for a site to be blocked or unblocked, and log the decisions',
        ownerEmail: attestedBy.email,
        // Hillcrest's action is overdue; Central's is not yet due.
        dueOn: q === 'L1' ? ctx.addDays(completedOn, 30) : ctx.addMonths(ctx.today, 1),
        status: 'open',
        closedAt: null,
        closedBy: null,
        closingNote: null,
      });
    }
  }
  const manager = ids.users.get(MANAGER);
  if (manager) tx.update('users', manager, { libraryIds: managed });
}
