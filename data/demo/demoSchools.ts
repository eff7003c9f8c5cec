import type { PreventLead, TrainingType } from '../schemas/schoolSchemas.js';
import type { Transaction } from '../store/store.js';
import type { DemoContext } from './demoContext.js';

const QUESTIONS = Array.from({ length: 15 }, (_, i) => `S${i + 1}`);
const CRITICAL = new Set(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S14']);

interface DemoLead {
  name: string;
  role: PreventLead['role'];
  /** null: the school never gave one (the demo's annual returns list it as not sent). */
  email: string | null;
  /** Months ago they started; negative for a lead who starts in the future. */
  startedMonthsAgo: number;
  /** Months ago they stopped, or null while in post. */
  endedMonthsAgo?: number;
  /** Months ago the school last confirmed their details, or null for never. */
  confirmedMonthsAgo: number | null;
  training: { type: TrainingType; monthsAgo: number; evidenceRef?: string }[];
}

interface DemoSchool {
  urn: string;
  name: string;
  typeName: string;
  phaseName: string;
  statusName: string;
  /** Worked out as the import would (SPEC §4): open or proposed to close, and a secondary phase. */
  inScope: boolean;
  postcode: string;
  street: string;
  head: [string, string, string];
  ages: [number, number];
  leads: DemoLead[];
  /** Months (and extra days) ago of the last audit, and the questions answered "no". */
  audit?: { monthsAgo: number; extraDays?: number; no?: string[] };
  /** An earlier audit a year before the last, so "start from last year's" has history behind it. */
  earlierAudit?: boolean;
}

/**
 * Northbrook's schools: in-scope schools in every state, so each school flag shows (spoc-missing,
 * spoc-training-expired both with none on record and lapsed, spoc-contact-stale both never and lapsed,
 * and the four audit rules), and out-of-scope ones (primary, special, closed, proposed to open).
 */
export const demoSchoolList: DemoSchool[] = [
  {
    urn: '190001',
    name: 'Northbrook Academy',
    typeName: 'Academy converter',
    phaseName: 'Secondary',
    statusName: 'Open',
    inScope: true,
    postcode: 'NB1 4NA',
    street: 'Academy Road',
    head: ['Mrs', 'Helen', 'Okafor'],
    ages: [11, 18],
    leads: [
      {
        name: 'Priya Shah',
        role: 'dsl',
        email: 'p.shah@northbrook-academy.example.sch.uk',
        startedMonthsAgo: 40,
        confirmedMonthsAgo: 2,
        training: [
          { type: 'dsl-training', monthsAgo: 14, evidenceRef: 'DSL-2024-118' },
          { type: 'prevent-awareness-elearning', monthsAgo: 6, evidenceRef: 'HO-PA-55120' },
        ],
      },
      {
        name: 'Tom Whitfield',
        role: 'deputy-dsl',
        email: 't.whitfield@northbrook-academy.example.sch.uk',
        startedMonthsAgo: 18,
        confirmedMonthsAgo: 2,
        training: [{ type: 'wrap', monthsAgo: 9 }],
      },
    ],
    audit: { monthsAgo: 3 },
    earlierAudit: true,
  },
  {
    urn: '190002',
    name: 'Riverside High School',
    typeName: 'Community school',
    phaseName: 'Secondary',
    statusName: 'Open',
    inScope: true,
    postcode: 'NB2 5RH',
    street: 'Mill Lane',
    head: ['Mr', 'David', 'Adeyemi'],
    ages: [11, 16],
    leads: [],
    audit: { monthsAgo: 13 },
  },
  {
    urn: '190003',
    name: 'Hillcrest All-Through School',
    typeName: 'Academy sponsor led',
    phaseName: 'All-through',
    statusName: 'Open',
    inScope: true,
    postcode: 'NB3 6HC',
    street: 'Crest Avenue',
    head: ['Dr', 'Sian', 'Morgan'],
    ages: [4, 18],
    leads: [
      {
        name: 'Gareth Lloyd',
        role: 'dsl',
        email: 'g.lloyd@hillcrest.example.sch.uk',
        startedMonthsAgo: 60,
        confirmedMonthsAgo: 4,
        training: [{ type: 'council-session', monthsAgo: 36, evidenceRef: 'NBC-PREV-2023-07' }],
      },
    ],
    audit: { monthsAgo: 11, extraDays: 10 },
  },
  {
    urn: '190004',
    name: 'Eastgate Sixth Form College',
    typeName: 'Sixth form centres',
    phaseName: '16 plus',
    statusName: 'Open',
    inScope: true,
    postcode: 'NB4 7EC',
    street: 'College Way',
    head: ['Ms', 'Renée', 'Dubois'],
    ages: [16, 19],
    leads: [
      {
        name: 'Aisha Rahman',
        role: 'dsl',
        email: 'a.rahman@eastgate6f.example.sch.uk',
        startedMonthsAgo: 2,
        confirmedMonthsAgo: null,
        training: [{ type: 'dsl-training', monthsAgo: 1 }],
      },
    ],
    audit: { monthsAgo: 2, no: ['S2'] },
  },
  {
    urn: '190005',
    name: 'Westfield Middle School',
    typeName: 'Community school',
    phaseName: 'Middle deemed secondary',
    statusName: 'Open, but proposed to close',
    inScope: true,
    postcode: 'NB5 8WM',
    street: 'Westfield Road',
    head: ['Mr', 'Seán', 'O’Connell'],
    ages: [9, 13],
    leads: [
      {
        name: 'Joanna Price',
        role: 'dsl',
        email: null,
        startedMonthsAgo: 30,
        confirmedMonthsAgo: 15,
        training: [{ type: 'prevent-referrals', monthsAgo: 10 }],
      },
    ],
    audit: { monthsAgo: 5, no: ['S13'] },
  },
  {
    urn: '190006',
    name: 'St Anne’s CofE High School',
    typeName: 'Voluntary aided school',
    phaseName: 'Secondary',
    statusName: 'Open',
    inScope: true,
    postcode: 'NB2 9SA',
    street: 'Church Street',
    head: ['Mrs', 'Zoë', 'Fletcher'],
    ages: [11, 18],
    leads: [
      {
        name: 'Martin Ellis',
        role: 'dsl',
        email: 'm.ellis@stannes.example.sch.uk',
        startedMonthsAgo: 70,
        endedMonthsAgo: 1,
        confirmedMonthsAgo: 8,
        training: [{ type: 'prevent-awareness-elearning', monthsAgo: 20 }],
      },
      {
        name: 'Nadia Karim',
        role: 'deputy-dsl',
        email: 'n.karim@stannes.example.sch.uk',
        startedMonthsAgo: -1,
        confirmedMonthsAgo: 0,
        training: [],
      },
    ],
  },
  {
    urn: '190007',
    name: 'Southmead Primary School',
    typeName: 'Community school',
    phaseName: 'Primary',
    statusName: 'Open',
    inScope: false,
    postcode: 'NB6 2SP',
    street: 'Southmead Close',
    head: ['Ms', 'Laura', 'Bennett'],
    ages: [4, 11],
    leads: [],
  },
  {
    urn: '190008',
    name: 'Brook Lane Special School',
    typeName: 'Academy special converter',
    phaseName: 'Not applicable',
    statusName: 'Open',
    inScope: false,
    postcode: 'NB3 3BL',
    street: 'Brook Lane',
    head: ['Mr', 'Imran', 'Hussain'],
    ages: [3, 19],
    leads: [],
  },
  {
    urn: '190009',
    name: 'Old Town Secondary School',
    typeName: 'Community school',
    phaseName: 'Secondary',
    statusName: 'Closed',
    inScope: false,
    postcode: 'NB1 9OT',
    street: 'Old Town Road',
    head: ['Mr', 'Peter', 'Grant'],
    ages: [11, 16],
    leads: [
      {
        name: 'Carol Jenkins',
        role: 'dsl',
        email: 'c.jenkins@oldtown.example.sch.uk',
        startedMonthsAgo: 80,
        endedMonthsAgo: 20,
        confirmedMonthsAgo: 30,
        training: [{ type: 'wrap', monthsAgo: 50 }],
      },
    ],
  },
  {
    urn: '190010',
    name: 'Northbrook Free School',
    typeName: 'Free schools',
    phaseName: 'Secondary',
    statusName: 'Proposed to open',
    inScope: false,
    postcode: 'NB4 1FS',
    street: 'Station Road',
    head: ['Ms', 'Grace', 'Osei'],
    ages: [11, 18],
    leads: [],
  },
];

/** "14 December 2025", as the attestation statement shows dates. */
function govukDate(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function auditAnswers(no: string[] = []) {
  return Object.fromEntries(
    QUESTIONS.map((id) => [
      id,
      id === 'S12' && !no.includes('S12')
        ? {
            answer: 'na' as const,
            reason: 'The school does not let its premises',
            note: null,
            toConfirm: false,
          }
        : {
            answer: no.includes(id) ? ('no' as const) : ('yes' as const),
            reason: null,
            note: null,
            toConfirm: false,
          },
    ]),
  );
}

export function demoSchools(tx: Transaction, ctx: DemoContext): void {
  const ago = (months: number, days = 0) => ctx.addDays(ctx.addMonths(ctx.today, -months), -days);
  for (const d of demoSchoolList) {
    const [headTitle, headFirstName, headLastName] = d.head;
    const school = tx.insert('schools', {
      urn: d.urn,
      laCode: '999',
      laName: 'Northbrook',
      establishmentNumber: String(4000 + Number(d.urn.slice(-2))),
      name: d.name,
      typeName: d.typeName,
      phaseName: d.phaseName,
      statusName: d.statusName,
      street: d.street,
      locality: null,
      address3: null,
      town: 'Northbrook',
      county: null,
      postcode: d.postcode,
      headTitle,
      headFirstName,
      headLastName,
      openDate: '1998-09-01',
      closeDate: d.statusName === 'Closed' ? ago(20) : null,
      website: `www.${d.urn}.example.sch.uk`,
      telephone: `0207946${d.urn.slice(-4)}`,
      statutoryLowAge: d.ages[0],
      statutoryHighAge: d.ages[1],
      inScope: d.inScope,
    });
    for (const l of d.leads) {
      const lead = tx.insert('preventLeads', {
        schoolId: school.id,
        name: l.name,
        role: l.role,
        email: l.email,
        phone: null,
        startOn: ctx.addMonths(ctx.today, -l.startedMonthsAgo),
        endOn: l.endedMonthsAgo === undefined ? null : ago(l.endedMonthsAgo),
        contactConfirmedOn: l.confirmedMonthsAgo === null ? null : ago(l.confirmedMonthsAgo),
      });
      for (const t of l.training) {
        tx.insert('leadTraining', {
          leadId: lead.id,
          type: t.type,
          completedOn: ago(t.monthsAgo),
          evidenceRef: t.evidenceRef ?? null,
        });
      }
    }
    if (!d.audit) continue;
    const audits = d.earlierAudit ? [d.audit.monthsAgo + 12, d.audit.monthsAgo] : [d.audit.monthsAgo];
    for (const monthsAgo of audits) {
      const completedOn = ago(monthsAgo, d.audit.extraDays ?? 0);
      const latest = monthsAgo === d.audit.monthsAgo;
      const no = latest ? (d.audit.no ?? []) : [];
      const outcome = no.some((q) => CRITICAL.has(q))
        ? 'non-compliant'
        : no.length
          ? 'partially-compliant'
          : 'compliant';
      const review = tx.insert('reviews', {
        templateId: 'school-audit',
        templateVersion: 1,
        subjectType: 'school',
        subjectId: school.id,
        status: 'submitted',
        answers: auditAnswers(no),
        notes: null,
        evidence: [],
        startedBy: 'education@demo.test',
        startedFrom: null,
        submittedBy: 'education@demo.test',
        submittedAt: `${completedOn}T11:00:00.000Z`,
        completedOn,
        outcome,
        nextDue: ctx.addMonths(completedOn, 12),
        attestation: {
          name: `${headFirstName} ${headLastName}`,
          role: 'Headteacher',
          statement: `I confirm, on behalf of ${d.name}, that the answers above are accurate as at ${govukDate(ctx.addDays(completedOn, -2))}, and that I am the Prevent lead or a member of the senior leadership team.`,
          at: `${completedOn}T11:00:00.000Z`,
          templateVersion: 1,
          confirmedOn: ctx.addDays(completedOn, -2),
        },
      });
      for (const q of no) {
        tx.insert('actions', {
          subjectType: 'school',
          subjectId: school.id,
          reviewId: review.id,
          questionId: q,
          description:
            q === 'S2'
              ? 'Prevent lead to complete the Home Office Prevent awareness e-learning'
              : 'Complete the DfE Prevent duty self-assessment tool this year',
          ownerEmail: 'education@demo.test',
          dueOn: ctx.addDays(completedOn, 90),
          status: 'open',
          closedAt: null,
          closedBy: null,
          closingNote: null,
        });
      }
    }
  }

  // Borough-wide counts for the last three terms: numbers only.
  const [y = 0, m = 0] = ctx.today.split('-').map(Number);
  const year = m >= 9 ? y : y - 1;
  const rows = [
    { academicYear: year - 1, term: 'spring' as const, n: [9, 3, 11, 2, 0, 1, 0] },
    { academicYear: year - 1, term: 'summer' as const, n: [14, 2, 15, 3, 1, 2, 1] },
    { academicYear: year - 1, term: 'autumn' as const, n: [11, 4, 13, 1, 0, 1, 0] },
  ];
  for (const r of rows) {
    const [
      offRollForEhe = 0,
      missingEducation = 0,
      eheTeamContacted = 0,
      safeguardingConcerns = 0,
      preventConcerns = 0,
      referralsToMash = 0,
      referralsToPrevent = 0,
    ] = r.n;

    tx.insert('homeEducationCounts', {
      academicYear: r.academicYear,
      term: r.term,
      offRollForEhe,
      missingEducation,
      eheTeamContacted,
      safeguardingConcerns,
      preventConcerns,
      referralsToMash,
      referralsToPrevent,
      notes: null,
    });
  }
}
