import { PLAN_ID, type RagStatus, ragStatuses } from '../../data/schemas/trainingSchemas.js';
import { computeFlags } from '../flags/computeFlags.js';
import type { Flag, FlagData, FlagRule } from '../flags/flagTypes.js';
import { ruleLabels } from '../labels.js';
import { activityDone, activityLate } from '../flags/planFlags.js';
import { departmentTraining, sessionsDelivered, sharePercent } from '../trainingRules.js';
import { type ComplianceMeasure, complianceMeasures } from './complianceMeasures.js';
import { dataAsOf } from './dataAsOf.js';
import { previousPeriod, type ReportPeriod } from './reportPeriod.js';

/** A count with its share in whole per cent (rounded down). */
export interface Figure {
  met: number;
  total: number;
  percent: number;
}

export interface ComplianceLine {
  id: string;
  area: string;
  label: string;
  /** Null: no data (nothing in scope, or the area is not built yet). */
  current: Figure | null;
  previous: Figure | null;
  /** Percentage points since the previous quarter; null when either quarter has no data. */
  change: number | null;
}

export interface TrainingLine {
  departmentId: string;
  department: string;
  required: number;
  trained: number;
  percent: number | null;
  targetPercent: number;
  belowTarget: boolean;
  sessions: number;
  basis: 'staff-records' | 'sessions';
}

export interface LateActivity {
  id: string;
  heading: string;
  description: string;
  owner: string;
  dueOn: string;
}

export interface PlanSummary {
  title: string;
  lastReviewOn: string | null;
  nextReviewDue: string | null;
  reviewState: 'none' | 'overdue' | 'due-soon' | 'in-date';
  rag: Record<RagStatus, number>;
  total: number;
  late: LateActivity[];
}

export interface OutstandingArea {
  id: string;
  label: string;
}

export interface OutstandingRule {
  rule: FlagRule;
  label: string;
  /** Count per area id. */
  counts: Record<string, number>;
  total: number;
}

/** The board report for one quarter: figures only, never personal data of hirers, speakers or staff. */
export interface BoardReport {
  period: ReportPeriod;
  previousPeriod: ReportPeriod;
  /** The date figures are worked out for: the quarter's end, or today while the quarter runs. */
  asOf: string;
  previousAsOf: string;
  generatedOn: string;
  compliance: ComplianceLine[];
  training: {
    lines: TrainingLine[];
    totals: { required: number; trained: number; percent: number | null; sessions: number };
  };
  /** Null until the action plan is set up. */
  plan: PlanSummary | null;
  outstanding: {
    areas: OutstandingArea[];
    rules: OutstandingRule[];
    total: number;
  };
}

/** Report areas in the order the board reads them; a flag's subject type maps to one. */
const AREAS: OutstandingArea[] = [
  { id: 'premises', label: 'Premises' },
  { id: 'booking', label: 'Hall hire' },
  { id: 'library', label: 'Libraries' },
  { id: 'school', label: 'Schools' },
  { id: 'department', label: 'Training' },
  { id: 'plan', label: 'Action plan' },
];

const RULE_ORDER = Object.keys(ruleLabels) as FlagRule[];

function figure(result: { met: number; total: number } | null): Figure | null {
  if (!result || result.total <= 0) return null;
  return { met: result.met, total: result.total, percent: sharePercent(result.met, result.total)! };
}

/** The date a quarter's figures are worked out for. */
export function reportAsOf(period: ReportPeriod, today: string): string {
  return period.end < today ? period.end : today;
}

/**
 * Records moved out of the live data into the archive files (decided bookings more than a year past, with
 * their checks): the compliance measures count them for past periods; flags never see them.
 */
export type ArchivedHistory = Pick<FlagData, 'bookings' | 'reviews'>;

/** Builds the board report for `period` from the data, with today's London date. Pure. */
export function buildBoardReport(
  data: FlagData,
  period: ReportPeriod,
  today: string,
  measures: readonly ComplianceMeasure[] = complianceMeasures(),
  archived?: ArchivedHistory,
): BoardReport {
  const asOf = reportAsOf(period, today);
  const previous = previousPeriod(period);
  const previousAsOf = reportAsOf(previous, today);
  const now = asOf === today ? data : dataAsOf(data, asOf);
  const then = dataAsOf(data, previousAsOf);
  const measured =
    archived && (archived.bookings.length > 0 || archived.reviews.length > 0)
      ? {
          ...data,
          bookings: [...data.bookings, ...archived.bookings],
          reviews: [...data.reviews, ...archived.reviews],
        }
      : data;
  const measuredNow = measured === data ? now : dataAsOf(measured, asOf);
  const measuredThen = measured === data ? then : dataAsOf(measured, previousAsOf);

  const compliance = measures.map((m) => {
    const current = figure(
      m.compute(measuredNow, { periodStart: period.start, periodEnd: period.end, asOf }),
    );
    const before = figure(
      m.compute(measuredThen, { periodStart: previous.start, periodEnd: previous.end, asOf: previousAsOf }),
    );
    return {
      id: m.id,
      area: m.area,
      label: m.label,
      current,
      previous: before,
      change: current && before ? current.percent - before.percent : null,
    };
  });

  const sessions = sessionsDelivered(data.trainingSessions, period.start, asOf);
  const lines: TrainingLine[] = departmentTraining(data, asOf)
    .map((t) => ({
      departmentId: t.department.id,
      department: t.department.name,
      required: t.required,
      trained: t.trained,
      percent: sharePercent(t.trained, t.required),
      targetPercent: t.department.targetPercent,
      belowTarget: t.belowTarget,
      sessions: sessions.get(t.department.id) ?? 0,
      basis: t.basis,
    }))
    .sort((a, b) => a.department.localeCompare(b.department));
  const totals = { required: 0, trained: 0, percent: null as number | null, sessions: 0 };
  for (const l of lines) {
    totals.required += l.required;
    totals.trained += l.trained;
    totals.sessions += l.sessions;
  }
  totals.percent = sharePercent(totals.trained, totals.required);

  const flags = computeFlags(now, asOf);
  return {
    period,
    previousPeriod: previous,
    asOf,
    previousAsOf,
    generatedOn: today,
    compliance,
    training: { lines, totals },
    plan: planSummary(now, asOf, flags),
    outstanding: outstanding(now, flags),
  };
}

function planSummary(data: FlagData, asOf: string, flags: Flag[]): PlanSummary | null {
  const plan = data.actionPlans.find((p) => p.id === PLAN_ID);
  if (!plan) return null;
  const headings = new Map(data.planHeadings.map((h) => [h.id, h]));
  const rag = Object.fromEntries(ragStatuses.map((s) => [s, 0])) as Record<RagStatus, number>;
  const late: LateActivity[] = [];
  for (const a of data.planActivities) {
    // An activity completed after the report date was still open then; its colour then is not known,
    // so it is reported as amber (in progress).
    const status: RagStatus = a.rag === 'complete' && !activityDone(a, asOf) ? 'amber' : a.rag;
    rag[status]++;
    if (activityLate(a, asOf)) {
      late.push({
        id: a.id,
        heading: headings.get(a.headingId)?.title ?? '',
        description: a.description,
        owner: a.owner,
        dueOn: a.dueOn,
      });
    }
  }
  late.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.description.localeCompare(b.description));
  let lastReviewOn: string | null = null;
  let nextReviewDue: string | null = null;
  for (const r of data.reviews) {
    if (r.subjectType !== 'plan' || r.subjectId !== plan.id || r.status !== 'submitted') continue;
    if (r.completedOn && (!lastReviewOn || r.completedOn > lastReviewOn)) {
      lastReviewOn = r.completedOn;
      nextReviewDue = r.nextDue;
    }
  }
  const planFlag = (rule: FlagRule) => flags.some((f) => f.rule === rule && f.subject.type === 'plan');
  const reviewState = planFlag('review-overdue')
    ? lastReviewOn
      ? 'overdue'
      : 'none'
    : planFlag('review-due-soon')
      ? 'due-soon'
      : 'in-date';
  return {
    title: plan.title,
    lastReviewOn,
    nextReviewDue,
    reviewState,
    rag,
    total: data.planActivities.length,
    late,
  };
}

/** Flag counts by rule and area; an action counts in the area of what it was raised on. */
function outstanding(data: FlagData, flags: Flag[]): BoardReport['outstanding'] {
  const actionArea = new Map<string, string>();
  for (const a of data.actions) actionArea.set(a.id, a.subjectType);
  const byRule = new Map<FlagRule, Record<string, number>>();
  const areaIds = new Set(AREAS.map((a) => a.id));
  const extraAreas: OutstandingArea[] = [];
  for (const f of flags) {
    const area = f.subject.type === 'action' ? (actionArea.get(f.subject.id) ?? 'plan') : f.subject.type;
    if (!areaIds.has(area)) {
      areaIds.add(area);
      extraAreas.push({ id: area, label: area });
    }
    const counts = byRule.get(f.rule) ?? {};
    counts[area] = (counts[area] ?? 0) + 1;
    byRule.set(f.rule, counts);
  }
  const rules = RULE_ORDER.filter((r) => byRule.has(r)).map((rule) => {
    const counts = byRule.get(rule)!;
    return {
      rule,
      label: ruleLabels[rule],
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  });
  return { areas: [...AREAS, ...extraAreas], rules, total: flags.length };
}
