import type { Transaction } from '../store/store.js';
import type { DemoContext } from './demoContext.js';

const ALL = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13'];

function answers(no: string[] = [], na: Record<string, string> = {}) {
  return Object.fromEntries(
    ALL.map((id) => [
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

interface DemoBuilding {
  ref: string;
  name: string;
  ward: string;
  postcode: string;
  operator: string;
  buildingType: string;
  hireable: boolean;
  publicIt: boolean;
  risk: 'low' | 'medium' | 'high' | null;
  /** Months ago of the last audit, or null for never audited. */
  auditedMonthsAgo: number | null;
  /** Extra days ago on top of the months (to land inside or outside the due-soon window). */
  extraDays?: number;
  no?: string[];
}

/** A fictional borough, "Northbrook": buildings across risk levels and review states so every premises flag shows. */
export const demoBuildings: DemoBuilding[] = [
  {
    ref: 'NB-001',
    name: 'Northbrook Town Hall',
    ward: 'Central',
    postcode: 'NB1 1AA',
    operator: 'Council',
    buildingType: 'Civic office',
    hireable: true,
    publicIt: true,
    risk: 'medium',
    auditedMonthsAgo: 2,
  },
  {
    ref: 'NB-002',
    name: 'Riverside Community Centre',
    ward: 'Riverside',
    postcode: 'NB2 4QT',
    operator: 'Riverside Community Association',
    buildingType: 'Community hall',
    hireable: true,
    publicIt: false,
    risk: 'high',
    auditedMonthsAgo: 8,
    no: ['P7'],
  },
  {
    ref: 'NB-003',
    name: 'Hillcrest Youth Centre',
    ward: 'Hillcrest',
    postcode: 'NB3 2HY',
    operator: 'Council',
    buildingType: 'Youth centre',
    hireable: true,
    publicIt: true,
    risk: 'medium',
    auditedMonthsAgo: 11,
    extraDays: 10,
  },
  {
    ref: 'NB-004',
    name: 'Northbrook Leisure Centre',
    ward: 'Central',
    postcode: 'NB1 3LC',
    operator: 'Northbrook Leisure Trust',
    buildingType: 'Leisure centre',
    hireable: true,
    publicIt: true,
    risk: 'medium',
    auditedMonthsAgo: 4,
    no: ['P10', 'P11'],
  },
  {
    ref: 'NB-005',
    name: 'Eastgate Children’s Centre',
    ward: 'Eastgate',
    postcode: 'NB4 5EC',
    operator: 'Council',
    buildingType: 'Children’s centre',
    hireable: false,
    publicIt: false,
    risk: 'low',
    auditedMonthsAgo: 14,
  },
  {
    ref: 'NB-006',
    name: 'Westfield Library',
    ward: 'Westfield',
    postcode: 'NB5 6WL',
    operator: 'Council',
    buildingType: 'Library',
    hireable: true,
    publicIt: true,
    risk: 'medium',
    auditedMonthsAgo: 3,
  },
  {
    ref: 'NB-007',
    name: 'Central Library',
    ward: 'Central',
    postcode: 'NB1 2CL',
    operator: 'Council',
    buildingType: 'Library',
    hireable: true,
    publicIt: true,
    risk: 'high',
    auditedMonthsAgo: 1,
  },
  {
    ref: 'NB-008',
    name: 'St Anne’s Church Hall (council-leased)',
    ward: 'Riverside',
    postcode: 'NB2 7SA',
    operator: 'Council',
    buildingType: 'Community hall',
    hireable: true,
    publicIt: false,
    risk: null,
    auditedMonthsAgo: null,
  },
  {
    ref: 'NB-009',
    name: 'Southmead Pavilion',
    ward: 'Southmead',
    postcode: 'NB6 1SP',
    operator: 'Southmead Sports Club',
    buildingType: 'Sports pavilion',
    hireable: true,
    publicIt: false,
    risk: 'low',
    auditedMonthsAgo: 6,
    no: ['P12'],
  },
  {
    ref: 'NB-010',
    name: 'Civic Offices Annexe',
    ward: 'Central',
    postcode: 'NB1 1AB',
    operator: 'Council',
    buildingType: 'Civic office',
    hireable: false,
    publicIt: false,
    risk: 'low',
    auditedMonthsAgo: 5,
  },
  {
    ref: 'NB-011',
    name: 'Hillcrest Scout Hut',
    ward: 'Hillcrest',
    postcode: 'NB3 4SH',
    operator: 'Hillcrest Scouts',
    buildingType: 'Community hall',
    hireable: true,
    publicIt: false,
    risk: 'medium',
    auditedMonthsAgo: null,
  },
  {
    ref: 'NB-012',
    name: 'Eastgate Market Hall',
    ward: 'Eastgate',
    postcode: 'NB4 1MH',
    operator: 'Council',
    buildingType: 'Market hall',
    hireable: true,
    publicIt: true,
    risk: 'high',
    auditedMonthsAgo: 7,
    extraDays: 3,
  },
];

export function demoPremises(tx: Transaction, ctx: DemoContext): Map<string, string> {
  const ids = new Map<string, string>();
  for (const b of demoBuildings) {
    const p = tx.insert('premises', {
      ref: b.ref,
      name: b.name,
      uprn: null,
      address: `${b.name}, Northbrook`,
      postcode: b.postcode,
      ward: b.ward,
      operator: b.operator,
      buildingType: b.buildingType,
      hireableSpace: b.hireable,
      publicIt: b.publicIt,
      risk: b.risk,
      riskRationale: b.risk === 'high' ? 'Frequent evening hire by outside groups; public-facing' : null,
      siteManagerEmail: 'facilities@demo.test',
      archived: false,
    });
    ids.set(b.ref, p.id);
    if (b.auditedMonthsAgo === null) continue;
    const completedOn = ctx.addDays(ctx.addMonths(ctx.today, -b.auditedMonthsAgo), -(b.extraDays ?? 0));
    const na: Record<string, string> = {};
    if (!b.hireable) for (const q of ['P5', 'P6', 'P7', 'P8']) na[q] = 'No hireable space';
    if (!b.publicIt) na.P9 = 'No public IT';
    if (b.operator === 'Council' && !b.no?.includes('P12')) na.P12 = 'Run by the council itself';
    const a = answers(b.no, na);
    if (!b.hireable) a.P2 = { answer: 'no', reason: null, note: null, toConfirm: false };
    if (!b.publicIt) a.P3 = { answer: 'no', reason: null, note: null, toConfirm: false };
    const critical = ['P1', 'P5', 'P6', 'P7', 'P9', 'P12'];
    const outcome = b.no?.some((q) => critical.includes(q))
      ? 'non-compliant'
      : b.no?.length
        ? 'partially-compliant'
        : 'compliant';
    const review = tx.insert('reviews', {
      templateId: 'premises-audit',
      templateVersion: 1,
      subjectType: 'premises',
      subjectId: p.id,
      status: 'submitted',
      answers: a,
      notes: null,
      evidence: [],
      startedBy: 'facilities@demo.test',
      startedFrom: null,
      submittedBy: 'facilities@demo.test',
      submittedAt: `${completedOn}T10:00:00.000Z`,
      completedOn,
      outcome,
      nextDue: ctx.addMonths(completedOn, b.risk === 'high' ? 6 : 12),
      attestation: null,
    });
    for (const q of b.no ?? []) {
      tx.insert('actions', {
        subjectType: 'premises',
        subjectId: p.id,
        reviewId: review.id,
        questionId: q,
        description:
          q === 'P7'
            ? 'Book the Prevent venue-hire briefing for the centre’s volunteers'
            : q === 'P12'
              ? 'Add the venue-hire policy clause to the club’s lease'
              : `Put in place what question ${q} asks for`,
        ownerEmail: 'facilities@demo.test',
        dueOn: ctx.addDays(completedOn, 60),
        status: 'open',
        closedAt: null,
        closedBy: null,
        closingNote: null,
      });
    }
  }
  return ids;
}
