import type { BoardReport } from '../../../checks/report/boardReport.js';
import { periodDates } from '../../../checks/report/reportPeriod.js';
import { csvCell } from '../csvExport.js';
import { ragLabels, reviewStateText } from './reportText.js';

type Cell = string | number | null;

/** Cells go through csvExport: formulas neutralised, quoted when needed. Re-exported for the tests. */
export { csvCell };

/**
 * The board report as one CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, each section a
 * heading row, a header row and its rows, every row padded to the same width so any CSV reader takes it.
 */
export function renderReportCsv(r: BoardReport): string {
  const rows: Cell[][] = [];
  const blank = () => rows.push([]);
  rows.push(['Due Regard board report']);
  rows.push(['Period', r.period.id, periodDates(r.period)]);
  rows.push(['Figures as of', r.asOf]);
  rows.push(['Compared with', r.previousPeriod.id, `figures as of ${r.previousAsOf}`]);
  rows.push(['Generated on', r.generatedOn]);

  blank();
  rows.push(['Compliance by area']);
  rows.push(['Area', 'Measure', 'Met', 'In scope', 'Per cent', 'Previous per cent', 'Change (points)']);
  for (const c of r.compliance) {
    rows.push([
      c.area,
      c.label,
      c.current ? c.current.met : 'No data',
      c.current?.total ?? null,
      c.current?.percent ?? null,
      c.previous ? c.previous.percent : 'No data',
      c.change,
    ]);
  }

  blank();
  rows.push(['Staff training by department']);
  rows.push([
    'Department',
    'Staff requiring training',
    'Staff trained',
    'Sessions delivered',
    'Per cent trained',
    'Target per cent',
    'Below target',
    'Staff trained counted from',
  ]);
  for (const t of r.training.lines) {
    rows.push([
      t.department,
      t.required,
      t.trained,
      t.sessions,
      t.percent,
      t.targetPercent,
      t.belowTarget ? 'Yes' : 'No',
      t.basis === 'staff-records' ? 'Staff records' : 'Session attendance',
    ]);
  }
  const tt = r.training.totals;
  rows.push(['Total', tt.required, tt.trained, tt.sessions, tt.percent]);

  blank();
  if (!r.plan) {
    rows.push(['Action plan', 'Not set up']);
  } else {
    const p = r.plan;
    rows.push(['Action plan', p.title]);
    rows.push([
      'Last review',
      p.lastReviewOn ?? 'None',
      'Next review due',
      p.nextReviewDue ?? '',
      reviewStateText[p.reviewState],
    ]);
    rows.push(['RAG status', 'Activities']);
    for (const [status, label] of Object.entries(ragLabels))
      rows.push([label, p.rag[status as keyof typeof p.rag]]);
    rows.push(['Total', p.total]);
    blank();
    rows.push(['Late activities']);
    rows.push(['Heading', 'Activity', 'Owner', 'Due']);
    for (const a of p.late) rows.push([a.heading, a.description, a.owner, a.dueOn]);
    if (p.late.length === 0) rows.push(['None']);
  }

  blank();
  rows.push([`Outstanding items: flags as of ${r.asOf}`]);
  rows.push(['Rule', ...r.outstanding.areas.map((a) => a.label), 'Total']);
  for (const rule of r.outstanding.rules) {
    rows.push([rule.label, ...r.outstanding.areas.map((a) => rule.counts[a.id] ?? 0), rule.total]);
  }
  rows.push([
    'Total',
    ...r.outstanding.areas.map((a) =>
      r.outstanding.rules.reduce((n, rule) => n + (rule.counts[a.id] ?? 0), 0),
    ),
    r.outstanding.total,
  ]);

  const width = Math.max(...rows.map((row) => row.length));
  const lines = rows.map((row) => {
    const padded = [...row, ...Array<Cell>(width - row.length).fill(null)];
    return padded.map(csvCell).join(',');
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
