import { type BoardReport, buildBoardReport } from '../../../checks/report/boardReport.js';
import {
  parsePeriod,
  periodOf,
  type ReportPeriod,
  recentPeriods,
} from '../../../checks/report/reportPeriod.js';
import type { Store } from '../../../data/store/store.js';
import { renderReportCsv } from './reportCsv.js';
import { renderReportDocument } from './reportHtml.js';
import { renderReportPdf } from './reportPdf.js';

export const reportFormats = ['html', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** Why a period cannot be reported, or null when it can. */
export function periodProblem(text: string, today: string): string | null {
  const period = parsePeriod(text);
  if (!period) return `The period must be a quarter like ${periodOf(today).id}`;
  if (period.start > today) return `${period.id} has not started yet`;
  return null;
}

export interface RenderedReport {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Renders a built report in one of the three formats. */
export async function renderReport(report: BoardReport, format: ReportFormat): Promise<RenderedReport> {
  const fileName = `due-regard-board-report-${report.period.id}.${format}`;
  if (format === 'csv') {
    return {
      body: Buffer.from(renderReportCsv(report), 'utf8'),
      contentType: 'text/csv; charset=utf-8',
      fileName,
    };
  }
  if (format === 'pdf')
    return { body: await renderReportPdf(report), contentType: 'application/pdf', fileName };
  return {
    body: Buffer.from(await renderReportDocument(report), 'utf8'),
    contentType: 'text/html; charset=utf-8',
    fileName,
  };
}

/** The board report from the live data: any quarter that has started, as of today (London). */
export function createReportService(store: Store) {
  return {
    /** Throws when `periodId` is not a quarter that has started; callers check with periodProblem first. */
    build(periodId: string, today: string): BoardReport {
      const problem = periodProblem(periodId, today);
      if (problem) throw new Error(problem);
      return buildBoardReport(store.data, parsePeriod(periodId) as ReportPeriod, today);
    },
    recentPeriods: (today: string) => recentPeriods(today, 8),
    render: renderReport,
  };
}

export type ReportService = ReturnType<typeof createReportService>;
