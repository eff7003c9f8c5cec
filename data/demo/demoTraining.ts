import { itemAt } from '../itemAt.js';
import {
  PLAN_ID,
  type RagStatus,
  standardPlanHeadings,
  type TrainingType,
} from '../schemas/trainingSchemas.js';
import type { Transaction } from '../store/store.js';
import type { DemoContext } from './demoContext.js';

/** First day of the quarter `today` is in, so "this quarter" sessions land inside it. */
function quarterStart(today: string): string {
  const [y, m = 1] = today.split('-').map(Number);
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

interface DemoDepartment {
  name: string;
  required: number;
  sessions: {
    type: TrainingType;
    monthsAgo?: number;
    thisQuarter?: number;
    attendees: number;
    trainer: string;
  }[];
}

/**
 * Departments: Community Safety counted from staff records (all in date), the others from session
 * attendance; Leisure and Venues is below target (9 of 30, an older WRAP session having lapsed).
 */
const departments: DemoDepartment[] = [
  { name: 'Community Safety', required: 8, sessions: [] },
  {
    name: 'Housing and Neighbourhoods',
    required: 40,
    sessions: [
      { type: 'wrap', monthsAgo: 14, attendees: 20, trainer: 'Prevent Coordinator' },
      { type: 'prevent-awareness', monthsAgo: 4, attendees: 12, trainer: 'Home Office e-learning' },
      { type: 'council-briefing', thisQuarter: 3, attendees: 6, trainer: 'Prevent Coordinator' },
    ],
  },
  {
    name: 'Libraries and Culture',
    required: 24,
    sessions: [
      { type: 'venue-hire-briefing', monthsAgo: 8, attendees: 10, trainer: 'Prevent Coordinator' },
      { type: 'prevent-awareness', monthsAgo: 5, attendees: 12, trainer: 'Home Office e-learning' },
      { type: 'wrap', thisQuarter: 5, attendees: 2, trainer: 'Prevent Coordinator' },
    ],
  },
  {
    name: 'Leisure and Venues',
    required: 30,
    sessions: [
      { type: 'wrap', monthsAgo: 30, attendees: 20, trainer: 'Police Prevent Officer' },
      { type: 'venue-hire-briefing', thisQuarter: 1, attendees: 9, trainer: 'Prevent Coordinator' },
    ],
  },
  {
    name: 'Elected members',
    required: 48,
    sessions: [
      {
        type: 'council-briefing',
        monthsAgo: 10,
        attendees: 44,
        trainer: 'Chief Executive and Prevent Coordinator',
      },
    ],
  },
];

const communitySafetyStaff = [
  ['CS001', 'Jordan Ellis', 'Community Safety Manager', 'prevent-referrals', 3],
  ['CS002', 'Priya Nair', 'Prevent Coordinator', 'prevent-referrals', 7],
  ['CS003', 'Tom Whitfield', 'Anti-social Behaviour Officer', 'prevent-awareness', 11],
  ['CS004', 'Grace Okafor', 'Anti-social Behaviour Officer', 'wrap', 15],
  ['CS005', 'Daniel Brooks', 'CCTV Supervisor', 'prevent-awareness', 20],
  ['CS006', 'Hannah Lewis', 'Community Engagement Officer', 'wrap', 9],
  ['CS007', 'Owen Price', 'Community Safety Officer', 'prevent-awareness', 2],
  ['CS008', 'Maya Shah', 'Business Support Officer', 'prevent-awareness', 22],
  // An earlier course of CS007's, now lapsed; his newer one counts.
  ['CS007', 'Owen Price', 'Community Safety Officer', 'wrap', 27],
] as const;

interface DemoActivity {
  heading: number;
  description: string;
  owner: string;
  /** Days from today; negative is in the past. */
  dueIn: number;
  rag: RagStatus;
  completedDaysAgo?: number;
  repeatMonths?: number;
  notes?: [number, string][];
}

/** Every RAG status, one late activity (amber, past its date), and the Channel governance items. */
const activities: DemoActivity[] = [
  {
    heading: 0,
    description: 'Agree refreshed terms of reference for the Prevent partnership group',
    owner: 'Community Safety Manager',
    dueIn: 60,
    rag: 'green',
    notes: [[20, 'Draft circulated to partners for comment']],
  },
  {
    heading: 0,
    description: 'Refresh the plan after the annual Counter Terrorism Local Profile',
    owner: 'Prevent Coordinator',
    dueIn: 45,
    rag: 'amber',
    notes: [[12, 'Profile briefing from the police expected next month; refresh may slip']],
  },
  {
    heading: 1,
    description: 'Deliver WRAP or e-learning to all Leisure and Venues staff',
    owner: 'Prevent Coordinator',
    dueIn: 30,
    rag: 'red',
    notes: [
      [40, 'Two briefings booked'],
      [8, 'Only 9 of 30 staff in date; shift patterns make sessions hard to fill'],
    ],
  },
  {
    heading: 2,
    description: 'Confirm a trained Prevent lead in every secondary school',
    owner: 'Education Safeguarding Lead',
    dueIn: 90,
    rag: 'green',
  },
  {
    heading: 3,
    description: 'Renew the Channel panel information sharing agreement',
    owner: 'Channel Panel Chair',
    dueIn: 120,
    rag: 'green',
    repeatMonths: 12,
  },
  {
    heading: 3,
    description: 'Review Channel panel membership and partner contact details',
    owner: 'Channel Panel Chair',
    dueIn: -5,
    rag: 'complete',
    completedDaysAgo: 6,
    notes: [[6, 'Contact list checked with all partners at the panel meeting']],
  },
  {
    heading: 4,
    description: 'Confirm the CTIRU list is applied by the library filtering provider',
    owner: 'Libraries ICT Manager',
    dueIn: -12,
    rag: 'amber',
    notes: [[25, 'Provider asked for written confirmation; no reply yet']],
  },
  {
    heading: 5,
    description: 'Publish the venue-hire policy with Prevent conditions of hire',
    owner: 'Head of Facilities',
    dueIn: -50,
    rag: 'complete',
    completedDaysAgo: 55,
  },
  {
    heading: 5,
    description: 'Brief booking officers on speaker due diligence',
    owner: 'Head of Facilities',
    dueIn: 75,
    rag: 'amber',
  },
];

const planAnswers = Object.fromEntries(
  ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'].map((id) => [
    id,
    { answer: 'yes' as const, reason: null, note: null, toConfirm: false },
  ]),
);

/** Departments, sessions, staff records, the action plan with its activities and two quarterly reviews. */
export function demoTraining(tx: Transaction, ctx: DemoContext): void {
  const qStart = quarterStart(ctx.today);
  const inQuarter = (days: number) => {
    // Never after today: a session in the quarter so far.
    const d = ctx.addDays(qStart, days);
    return d.localeCompare(ctx.today) > 0 ? ctx.today : d;
  };
  const deptIds = new Map<string, string>();
  for (const d of departments) {
    const dept = tx.insert('departments', {
      name: d.name,
      staffRequiringTraining: d.required,
      targetPercent: 90,
    });
    deptIds.set(d.name, dept.id);
    for (const s of d.sessions) {
      tx.insert('trainingSessions', {
        date:
          s.thisQuarter !== undefined
            ? inQuarter(s.thisQuarter)
            : ctx.addMonths(ctx.today, -(s.monthsAgo ?? 0)),
        type: s.type,
        departmentId: dept.id,
        attendees: s.attendees,
        trainer: s.trainer,
        notes: null,
      });
    }
  }
  for (const [staffId, name, role, type, monthsAgo] of communitySafetyStaff) {
    tx.insert('staffRecords', {
      departmentId: deptIds.get('Community Safety')!,
      staffId,
      name,
      role,
      trainingType: type,
      completedOn: ctx.addMonths(ctx.today, -monthsAgo),
    });
  }

  tx.insert('actionPlans', {
    id: PLAN_ID,
    title: 'Northbrook Prevent partnership action plan',
    ownerEmail: 'coordinator@demo.test',
  });
  const headingIds = standardPlanHeadings.map(
    (title, position) => tx.insert('planHeadings', { title, position }).id,
  );
  for (const a of activities) {
    tx.insert('planActivities', {
      headingId: itemAt(headingIds, a.heading),

      description: a.description,
      owner: a.owner,
      ownerEmail: 'coordinator@demo.test',
      dueOn: ctx.addDays(ctx.today, a.dueIn),
      rag: a.rag,
      completedOn: a.completedDaysAgo !== undefined ? ctx.addDays(ctx.today, -a.completedDaysAgo) : null,
      repeatMonths: a.repeatMonths ?? null,
      progressNotes: (a.notes ?? []).map(([daysAgo, note]) => ({
        on: ctx.addDays(ctx.today, -daysAgo),
        note,
        by: 'coordinator@demo.test',
      })),
    });
  }

  // The last quarterly review was a little under 3 months ago, so the next one is due within 30 days.
  const lastReview = ctx.addDays(ctx.addMonths(ctx.today, -3), 10);
  for (const completedOn of [ctx.addMonths(lastReview, -3), lastReview]) {
    tx.insert('reviews', {
      templateId: 'action-plan-review',
      templateVersion: 1,
      subjectType: 'plan',
      subjectId: PLAN_ID,
      status: 'submitted',
      answers: planAnswers,
      notes: 'Reviewed at the quarterly Prevent partnership meeting',
      evidence: [],
      startedBy: 'coordinator@demo.test',
      startedFrom: null,
      submittedBy: 'coordinator@demo.test',
      submittedAt: `${completedOn}T14:00:00.000Z`,
      completedOn,
      outcome: 'compliant',
      nextDue: ctx.addMonths(completedOn, 3),
      attestation: null,
    });
  }
}
