import ejs from 'ejs';
import type { BoardReport } from '../../../checks/report/boardReport.js';
import { periodDates } from '../../../checks/report/reportPeriod.js';
import { formatDate } from '../../../checks/londonDates.js';
import { escapeHtml } from '../../escapeHtml.js';
import { ejsOptions, viewsDir } from '../../middleware/setUpViews.js';
import { complianceChart, ragChart, trainingChart } from './reportCharts.js';
import { ragLabels, reviewStateText } from './reportText.js';

const pct = (n: number | null) => (n === null ? '—' : `${n}%`);

function changeText(change: number | null): string {
  if (change === null) return '—';
  if (change === 0) return 'No change';
  const points = Math.abs(change) === 1 ? 'point' : 'points';
  return change > 0 ? `Up ${change} ${points}` : `Down ${-change} ${points}`;
}

/**
 * What the report pages show, as display text: the web page and the stand-alone document share it.
 * `links` adds links into the app (left out of the stand-alone document, which is read away from it).
 */
export function reportView(r: BoardReport, opts: { links: boolean }) {
  return {
    links: opts.links,
    periodId: r.period.id,
    periodLabel: r.period.label,
    periodDates: periodDates(r.period),
    asOfText: formatDate(r.asOf),
    generatedText: formatDate(r.generatedOn),
    pastQuarter: r.asOf === r.period.end,
    previousText: `${r.previousPeriod.label} (figures as of ${formatDate(r.previousAsOf)})`,
    compliance: r.compliance.map((c) => ({
      area: c.area,
      label: c.label,
      current: c.current ? `${c.current.met} of ${c.current.total} (${c.current.percent}%)` : 'No data',
      previous: c.previous ? `${c.previous.met} of ${c.previous.total} (${c.previous.percent}%)` : 'No data',
      change: changeText(c.change),
    })),
    training: {
      lines: r.training.lines.map((t) => ({
        ...t,
        href: `/training/departments/${t.departmentId}`,
        percentText: pct(t.percent),
        basisText: t.basis === 'staff-records' ? 'Staff records' : 'Session attendance',
      })),
      totals: { ...r.training.totals, percentText: pct(r.training.totals.percent) },
    },
    plan: r.plan && {
      title: r.plan.title,
      lastReview: r.plan.lastReviewOn ? formatDate(r.plan.lastReviewOn) : 'None on record',
      nextReviewDue: r.plan.nextReviewDue ? formatDate(r.plan.nextReviewDue) : 'Now',
      reviewState: reviewStateText[r.plan.reviewState],
      rag: (Object.keys(ragLabels) as (keyof typeof ragLabels)[]).map((s) => ({
        status: s,
        label: ragLabels[s],
        count: r.plan!.rag[s],
      })),
      total: r.plan.total,
      late: r.plan.late.map((a) => ({ ...a, href: `/plan#activity-${a.id}`, dueText: formatDate(a.dueOn) })),
    },
    outstanding: {
      areas: r.outstanding.areas,
      rules: r.outstanding.rules,
      areaTotals: r.outstanding.areas.map((a) =>
        r.outstanding.rules.reduce((n, rule) => n + (rule.counts[a.id] ?? 0), 0),
      ),
      total: r.outstanding.total,
    },
    charts: {
      compliance: complianceChart(r),
      training: trainingChart(r),
      rag: r.plan ? ragChart(r.plan.rag) : '',
    },
  };
}

export type ReportView = ReturnType<typeof reportView>;

/** The report as HTML: the stand-alone document (its own styles, no links, no script) for files and mail. */
export async function renderReportDocument(r: BoardReport): Promise<string> {
  const view = reportView(r, { links: false });
  return ejs.renderFile(
    `${viewsDir}pages/report/document.ejs`,
    { view, escapeHtml, escapeAttr: escapeHtml },
    { ...ejsOptions(false), async: false },
  );
}
