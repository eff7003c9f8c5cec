import { randomUUID } from 'node:crypto';
import type { BookingStatus, DecisionValue, ScreenRole } from '../schemas/hallHireSchemas.js';
import type { Transaction } from '../store/store.js';
import type { DemoIds } from './demoBorough.js';
import type { DemoContext } from './demoContext.js';

const QUESTIONS = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9', 'H10', 'H11', 'H12', 'H13', 'H14'];
const CRITICAL = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H10', 'H11', 'H12']);

function checkAnswers(no: string[], na: Record<string, string>) {
  return Object.fromEntries(
    QUESTIONS.map((id) => [
      id,
      na[id]
        ? { answer: 'na' as const, reason: na[id], note: null, toConfirm: false }
        : {
            answer: no.includes(id) ? ('no' as const) : ('yes' as const),
            reason: null,
            note: null,
            toConfirm: false,
          },
    ]),
  );
}

/** Fictional halls, by premises ref; `online`: offered on the public request form (/hire). */
const HALLS: { premises: string; name: string; capacity: number; online?: boolean }[] = [
  { premises: 'NB-001', name: 'Council Chamber', capacity: 80 },
  { premises: 'NB-001', name: 'Assembly Room', capacity: 200, online: true },
  { premises: 'NB-002', name: 'Main Hall', capacity: 150, online: true },
  { premises: 'NB-002', name: 'Meeting Room 1', capacity: 20, online: true },
  { premises: 'NB-003', name: 'Sports Hall', capacity: 120 },
  { premises: 'NB-006', name: 'Community Room', capacity: 40 },
  { premises: 'NB-008', name: 'Hall', capacity: 100 },
  { premises: 'NB-012', name: 'Market Hall', capacity: 300 },
];

/** Fictional hirers: every name here is made up. */
const HIRERS = {
  choir: {
    name: 'Priya Example',
    organisation: 'Northbrook Community Choir',
    otherNames: ['Northbrook Singers'],
    charityNumber: '1190001',
    companyNumber: null,
    email: 'choir@example.org',
  },
  tenants: {
    name: 'Sam Sample',
    organisation: 'Riverside Tenants Association',
    otherNames: [],
    charityNumber: null,
    companyNumber: null,
    email: 'tenants@example.org',
  },
  front: {
    name: 'Alex Placeholder',
    organisation: 'The Example Front Ltd',
    otherNames: ['Example Front Northbrook'],
    charityNumber: null,
    companyNumber: '09999999',
    email: 'info@example-front.example',
  },
  faith: {
    name: 'Jordan Test',
    organisation: 'Hillcrest Faith Forum',
    otherNames: [],
    charityNumber: '1190002',
    companyNumber: null,
    email: 'forum@example.org',
  },
  party: {
    name: 'Morgan Demo',
    organisation: null,
    otherNames: [],
    charityNumber: null,
    companyNumber: null,
    email: 'morgan@example.com',
  },
  debate: {
    name: 'Casey Fictional',
    organisation: 'Northbrook Debating Society',
    otherNames: [],
    charityNumber: null,
    companyNumber: null,
    email: 'debate@example.org',
  },
  traders: {
    name: 'Riley Sample',
    organisation: 'Eastgate Traders Network',
    otherNames: ['Eastgate Traders'],
    charityNumber: null,
    companyNumber: '08888888',
    email: 'traders@example.org',
  },
};
type HirerKey = keyof typeof HIRERS;

interface DemoBooking {
  ref: string;
  premises: string;
  hall: string;
  hirer: HirerKey;
  /** Days from today; the calendar offsets keep each booking on the same side of the 2- and 10-working-day lines. */
  inDays: number;
  title: string;
  purpose: string;
  attendance: number;
  open: boolean;
  speakers?: { name: string; aliases?: string[]; affiliation?: string }[];
  status: BookingStatus;
  /** A submitted check: the questions answered "no", and how many days before today it was done. */
  check?: { no?: string[]; na?: Record<string, string>; daysAgo: number };
  decision?: {
    decision: DecisionValue;
    by: string;
    role: string;
    daysAgo: number;
    rationale: string;
    conditions?: string[];
    balancing?: { expression: string; equality: string; alternatives: string };
  };
  officer?: string;
}

const NO_CONCERN = { H12: 'The checks found no concern', H13: 'No conditions were needed' };
const NOT_CHARITY = { H7: 'The hirer is not a charity' };

/**
 * Bookings in every state (SPEC §2) and both booking flags: one undecided inside the lead time (high), one
 * the next day and one that has started (critical), and one whose organisation and speaker match the demo
 * watch list and wait for the coordinator. The choir has bookings at three venues, so its history shows.
 */
const BOOKINGS: DemoBooking[] = [
  {
    ref: 'NB-H-1001',
    premises: 'NB-002',
    hall: 'Main Hall',
    hirer: 'choir',
    inDays: 30,
    title: 'Spring concert',
    purpose: 'Choral concert for families',
    attendance: 120,
    open: true,
    status: 'provisional',
  },
  {
    ref: 'NB-H-1002',
    premises: 'NB-002',
    hall: 'Meeting Room 1',
    hirer: 'tenants',
    inDays: 9,
    title: 'Tenants’ annual general meeting',
    purpose: 'AGM and election of officers',
    attendance: 18,
    open: false,
    status: 'provisional',
  },
  {
    ref: 'NB-H-1003',
    premises: 'NB-008',
    hall: 'Hall',
    hirer: 'party',
    inDays: 1,
    title: 'Birthday party',
    purpose: 'Private family party',
    attendance: 60,
    open: false,
    status: 'provisional',
  },
  {
    ref: 'NB-H-1004',
    premises: 'NB-003',
    hall: 'Sports Hall',
    hirer: 'faith',
    inDays: 12,
    title: 'Interfaith open evening',
    purpose: 'Talks and questions on local faith groups working together',
    attendance: 90,
    open: true,
    speakers: [{ name: 'Dr A. Speaker', affiliation: 'Northbrook University' }],
    status: 'checks-complete',
    check: { na: { ...NO_CONCERN }, daysAgo: 2 },
  },
  {
    ref: 'NB-H-1005',
    premises: 'NB-001',
    hall: 'Assembly Room',
    hirer: 'front',
    inDays: 20,
    title: 'Community meeting',
    purpose: 'Public meeting on “community self-defence”',
    attendance: 150,
    open: true,
    speakers: [{ name: 'Exemplar, Jon Q.', aliases: ['J. Q. Exemplar'] }],
    status: 'referred',
    check: { na: { ...NOT_CHARITY, H13: 'A decision is awaited' }, daysAgo: 3 },
    decision: {
      decision: 'referred',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 3,
      rationale:
        'The organisation and the named speaker match the watch list; the flyer describes a “self-defence” rally. Referred to the Prevent coordinator.',
    },
  },
  {
    ref: 'NB-H-1006',
    premises: 'NB-002',
    hall: 'Main Hall',
    hirer: 'choir',
    inDays: -40,
    title: 'Winter rehearsal',
    purpose: 'Weekly rehearsal',
    attendance: 40,
    open: false,
    status: 'approved',
    check: { na: { ...NO_CONCERN }, daysAgo: 50 },
    decision: {
      decision: 'approved',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 49,
      rationale: 'Regular hirer with no concerns; all checks complete.',
    },
  },
  {
    ref: 'NB-H-1007',
    premises: 'NB-001',
    hall: 'Council Chamber',
    hirer: 'debate',
    inDays: 15,
    title: 'Debate: free speech and the city',
    purpose: 'Public debate with invited speakers and questions from the floor',
    attendance: 70,
    open: true,
    speakers: [
      { name: 'Prof B. Example', affiliation: 'Northbrook University' },
      { name: 'C. Sample', aliases: ['Chris Sample'], affiliation: 'Sample Media' },
    ],
    status: 'approved-with-conditions',
    check: { na: { ...NOT_CHARITY }, daysAgo: 6 },
    decision: {
      decision: 'approved-with-conditions',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 5,
      rationale:
        'Open-source checks found one speaker’s past remarks drew protest; no link to any listed group. The debate can go ahead with safeguards.',
      conditions: [
        'A council officer is present throughout the event.',
        'No change of speaker without the council’s written agreement.',
        'The chair gives equal time to opposing views and ends any speech that promotes hatred.',
      ],
      balancing: {
        expression:
          'A public debate is protected expression and assembly; refusing it would not be proportionate to the risk found.',
        equality: 'The conditions apply whatever the speakers’ beliefs and protect attendees of all faiths.',
        alternatives: 'Refusal was weighed and rejected; conditions address the risk of disorder instead.',
      },
    },
  },
  {
    ref: 'NB-H-1008',
    premises: 'NB-012',
    hall: 'Market Hall',
    hirer: 'traders',
    inDays: 25,
    title: 'Traders’ rally',
    purpose: 'Rally “against outsiders” in the market',
    attendance: 250,
    open: true,
    speakers: [{ name: 'D. Placeholder' }],
    status: 'refused',
    check: { no: ['H10', 'H14'], na: { ...NOT_CHARITY, H13: 'Refused, so no conditions' }, daysAgo: 8 },
    decision: {
      decision: 'refused',
      by: 'coordinator@demo.test',
      role: 'coordinator',
      daysAgo: 7,
      rationale:
        'The promotional material targets residents by nationality and the hirer would not sign the terms of hire or the equality policy.',
      balancing: {
        expression:
          'The right to assemble was weighed; the material goes beyond protected expression into stirring up hatred.',
        equality: 'Hosting the rally would conflict with the duty to foster good relations between groups.',
        alternatives:
          'A smaller meeting under conditions was offered; the hirer refused to sign the terms, so no lesser option remained.',
      },
    },
  },
  {
    ref: 'NB-H-1009',
    premises: 'NB-002',
    hall: 'Main Hall',
    hirer: 'tenants',
    inDays: 5,
    title: 'Quiz night',
    purpose: 'Fundraising quiz',
    attendance: 80,
    open: true,
    status: 'cancelled',
    decision: {
      decision: 'cancelled',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 4,
      rationale: 'The hirer withdrew the booking.',
    },
  },
  {
    ref: 'NB-H-1010',
    premises: 'NB-006',
    hall: 'Community Room',
    hirer: 'choir',
    inDays: -1,
    title: 'Singing workshop',
    purpose: 'Workshop for new members',
    attendance: 25,
    open: true,
    status: 'provisional',
    officer: 'bookings.officer@northbrook.example',
  },
  {
    // More than 12 months past and decided: the demo set-up moves it to the archive file of its year, so
    // the choir's history and "Include archived bookings" show an archived booking.
    ref: 'NB-H-0907',
    premises: 'NB-002',
    hall: 'Main Hall',
    hirer: 'choir',
    inDays: -430,
    title: 'Autumn open rehearsal',
    purpose: 'Open rehearsal for new members',
    attendance: 35,
    open: true,
    status: 'approved',
    check: { na: { ...NO_CONCERN }, daysAgo: 445 },
    decision: {
      decision: 'approved',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 444,
      rationale: 'Regular hirer; open rehearsal with no speakers; no concerns.',
    },
  },
  {
    ref: 'NB-H-1011',
    premises: 'NB-001',
    hall: 'Assembly Room',
    hirer: 'choir',
    inDays: -200,
    title: 'Summer concert',
    purpose: 'Concert with a visiting choir',
    attendance: 180,
    open: true,
    speakers: [{ name: 'E. Example', affiliation: 'Visiting conductor' }],
    status: 'approved-with-conditions',
    check: { na: { H13: 'Conditions recorded in the decision' }, daysAgo: 214 },
    decision: {
      decision: 'approved-with-conditions',
      by: 'facilities@demo.test',
      role: 'facilities',
      daysAgo: 213,
      rationale: 'Large audience close to the hall’s capacity.',
      conditions: ['No more than 180 people in the hall.', 'Two stewards on the doors throughout.'],
      balancing: {
        expression: 'The conditions do not limit what is performed or said.',
        equality: 'The conditions apply to every large event in the hall.',
        alternatives: 'A smaller audience was weighed; stewarding met the safety concern without it.',
      },
    },
  },
];

const WATCHLISTS = [
  {
    source: 'Demo proscribed organisations (fictional)',
    format: 'simple' as const,
    daysAgo: 20,
    entries: [
      {
        name: 'Example Front',
        aliases: ['Example Front Movement', 'EFM'],
        type: 'organisation' as const,
        listedOn: '2024-06-01',
        reference: null,
        regime: null,
      },
      {
        name: 'Jon Q. Exemplar',
        aliases: ['Jonny Exemplar'],
        type: 'person' as const,
        listedOn: '2024-06-01',
        reference: null,
        regime: null,
      },
      {
        name: 'Northern Star Example Brigade',
        aliases: [],
        type: 'organisation' as const,
        listedOn: '2023-02-10',
        reference: null,
        regime: null,
      },
    ],
  },
  {
    source: 'Demo sanctions list (fictional, OFSI layout)',
    format: 'ofsi' as const,
    daysAgo: 6,
    entries: [
      {
        name: 'Ahmed Example',
        aliases: ['Abu Example'],
        type: 'person' as const,
        listedOn: '2013-05-09',
        reference: '90004',
        regime: 'Counter-Terrorism (International)',
      },
      {
        name: 'Sea Exemplar',
        aliases: [],
        type: 'organisation' as const,
        listedOn: '2022-05-04',
        reference: '90003',
        regime: 'Russia',
      },
    ],
  },
];

/** The watch-list matches of the referred booking, as the screening records them. */
const FRONT_MATCHES: { role: ScreenRole; name: string; entry: string; reason: string }[] = [
  {
    role: 'organisation',
    name: 'The Example Front Ltd',
    entry: 'Example Front',
    reason:
      '"The Example Front Ltd" matches "Example Front" (listed name) on the Demo proscribed organisations (fictional): same words once case, "the" and company suffixes are set aside',
  },
  {
    role: 'speaker',
    name: 'Exemplar, Jon Q.',
    entry: 'Jon Q. Exemplar',
    reason:
      '"Exemplar, Jon Q." matches "Jon Q. Exemplar" (listed name) on the Demo proscribed organisations (fictional): same words once punctuation and word order are set aside',
  },
];

export function demoHallHire(tx: Transaction, ctx: DemoContext, ids: DemoIds): void {
  const hallIds = new Map<string, string>();
  for (const h of HALLS) {
    const premisesId = ids.premises.get(h.premises);
    if (!premisesId) continue;
    const hall = tx.insert('halls', {
      premisesId,
      name: h.name,
      capacity: h.capacity,
      archived: false,
      ...(h.online ? { bookableOnline: true } : {}),
    });
    hallIds.set(`${h.premises}|${h.name}`, hall.id);
  }

  const lists = WATCHLISTS.map((w) => {
    const asOf = ctx.addDays(ctx.today, -w.daysAgo);
    const list = tx.insert('watchlists', {
      source: w.source,
      asOf,
      format: w.format,
      entryCount: w.entries.length,
      importedAt: `${asOf}T09:00:00.000Z`,
      importedBy: 'coordinator@demo.test',
    });
    const entries = w.entries.map((e) => tx.insert('watchlistEntries', { ...e, listId: list.id }));
    return { list, entries };
  });
  const listVersions = lists.map(({ list }) => ({
    listId: list.id,
    source: list.source,
    asOf: list.asOf,
    listVersion: list.version,
    entries: list.entryCount,
  }));
  const entryByName = new Map(
    lists.flatMap(({ list, entries }) => entries.map((e) => [e.name, { e, list }] as const)),
  );

  const hirerIds = new Map<HirerKey, string>();
  for (const [key, h] of Object.entries(HIRERS) as [HirerKey, (typeof HIRERS)[HirerKey]][]) {
    const last = Math.max(...BOOKINGS.filter((b) => b.hirer === key).map((b) => b.inDays));
    const hirer = tx.insert('hirers', {
      ...h,
      phone: null,
      address: null,
      lastEventOn: ctx.addDays(ctx.today, last),
      personalDataRemoved: false,
    });
    hirerIds.set(key, hirer.id);
  }

  for (const d of BOOKINGS) {
    const hallId = hallIds.get(`${d.premises}|${d.hall}`);
    if (!hallId) continue;
    const hirer = HIRERS[d.hirer];
    const speakers = (d.speakers ?? []).map((s) => ({
      name: s.name,
      aliases: s.aliases ?? [],
      affiliation: s.affiliation ?? null,
    }));
    const names: { role: ScreenRole; name: string }[] = [
      { role: 'hirer', name: hirer.name },
      ...(hirer.organisation ? [{ role: 'organisation' as const, name: hirer.organisation }] : []),
      ...hirer.otherNames.map((n) => ({ role: 'other-name' as const, name: n })),
      ...speakers.flatMap((s) => [
        { role: 'speaker' as const, name: s.name },
        ...s.aliases.map((a) => ({ role: 'speaker-alias' as const, name: a })),
      ]),
    ];
    const seen = new Set<string>();
    const screenKeys: { key: string; role: ScreenRole }[] = [];
    for (const n of names) {
      const key = ctx.normaliseName(n.name);
      if (key && !seen.has(key)) {
        seen.add(key);
        screenKeys.push({ key, role: n.role });
      }
    }
    const day = ctx.addDays(ctx.today, d.inDays);
    const bookingId = randomUUID();
    const reviewId = d.check ? randomUUID() : null;
    const decisionId = d.decision ? randomUUID() : null;
    const matches =
      d.ref === 'NB-H-1005'
        ? FRONT_MATCHES.map((m) => {
            const { e, list } = entryByName.get(m.entry)!;
            return {
              role: m.role,
              name: m.name,
              entryId: e.id,
              listId: list.id,
              source: list.source,
              asOf: list.asOf,
              entryName: e.name,
              entryType: e.type,
              matchedText: e.name,
              via: 'name' as const,
              reason: m.reason,
            };
          })
        : [];

    tx.insert('bookings', {
      id: bookingId,
      ref: d.ref,
      hallId,
      start: `${day}T18:30`,
      end: `${day}T21:30`,
      eventTitle: d.title,
      purpose: d.purpose,
      expectedAttendance: d.attendance,
      openToPublic: d.open,
      hirerId: hirerIds.get(d.hirer)!,
      speakers,
      bookingOfficerEmail: d.officer ?? 'facilities@demo.test',
      status: d.status,
      screenKeys,
      checksReviewId: reviewId,
      decisionId,
      clearedEntryIds: [],
      personalDataRemoved: false,
    });

    if (d.check && reviewId) {
      const completedOn = ctx.addDays(ctx.today, -d.check.daysAgo);
      const no = d.check.no ?? [];
      const na: Record<string, string> = {
        ...(speakers.length === 0 ? { H4: 'No speakers or performers' } : {}),
        ...d.check.na,
      };
      if (!hirer.charityNumber && !na.H7) na.H7 = 'The hirer is not a charity';
      const outcome = no.some((q) => CRITICAL.has(q))
        ? 'non-compliant'
        : no.length
          ? 'partially-compliant'
          : 'compliant';
      tx.insert('reviews', {
        id: reviewId,
        templateId: 'booking-due-diligence',
        templateVersion: 1,
        subjectType: 'booking',
        subjectId: bookingId,
        status: 'submitted',
        answers: checkAnswers(no, na),
        notes: null,
        evidence: [],
        startedBy: 'facilities@demo.test',
        startedFrom: null,
        submittedBy: 'facilities@demo.test',
        submittedAt: `${completedOn}T11:00:00.000Z`,
        completedOn,
        outcome,
        nextDue: null,
        attestation: null,
      });
      tx.insert('bookingScreenings', {
        bookingId,
        eventDay: day,
        at: `${completedOn}T11:00:00.000Z`,
        by: 'facilities@demo.test',
        why: 'checks-submitted',
        reviewId,
        lists: listVersions.filter((l) => l.asOf <= completedOn),
        matches,
      });
    }

    if (d.decision && decisionId) {
      const decidedOn = ctx.addDays(ctx.today, -d.decision.daysAgo);
      const screening = tx.insert('bookingScreenings', {
        bookingId,
        eventDay: day,
        at: `${decidedOn}T14:00:00.000Z`,
        by: d.decision.by,
        why: 'decision',
        reviewId: null,
        lists: listVersions.filter((l) => l.asOf <= decidedOn),
        matches,
      });
      tx.insert('bookingDecisions', {
        id: decisionId,
        bookingId,
        decision: d.decision.decision,
        rationale: d.decision.rationale,
        conditions: d.decision.conditions ?? [],
        balancing: d.decision.balancing ?? null,
        decidedBy: d.decision.by,
        decidedByRole: d.decision.role,
        decidedAt: `${decidedOn}T14:00:00.000Z`,
        decidedOn,
        previousStatus: d.check ? 'checks-complete' : 'provisional',
        checksReviewId: reviewId,
        screeningId: screening.id,
      });
    }
  }
}
