import {
  type ArchivedHistory,
  type BoardReport,
  buildBoardReport,
} from '../../../checks/report/boardReport.js';
import {
  BOARD_MEASURES,
  type ComplianceMeasure,
  type MeasureRegistry,
} from '../../../checks/report/complianceMeasures.js';
import {
  parsePeriod,
  periodOf,
  previousPeriod,
  type ReportPeriod,
  recentPeriods,
} from '../../../checks/report/reportPeriod.js';
import { ArchiveReader } from '../../../data/store/archiveFiles.js';
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

/**
 * What the archive files hold for a report of `period` (and the quarter before, which it compares with):
 * the archived bookings that start in those quarters' years and their checks, each once (live wins).
 * Files of other years are not read.
 */
export function archivedHistoryFor(
  store: Store,
  archive: ArchiveReader,
  period: ReportPeriod,
): ArchivedHistory {
  const from = Number(previousPeriod(period).start.slice(0, 4));
  const to = Number(period.end.slice(0, 4));
  const years = archive.years().filter((y) => y >= from && y <= to);
  if (years.length === 0) return { bookings: [], reviews: [] };
  return {
    bookings: archive.list('bookings', years).filter((b) => !store.get('bookings', b.id)),
    reviews: archive.list('reviews', years).filter((r) => !store.get('reviews', r.id)),
  };
}

/** The board report from the live data and the archive files: any quarter that has started, as of today (London). */
export function buildReportWithArchive(
  store: Store,
  archive: ArchiveReader,
  periodId: string,
  today: string,
  measures: readonly ComplianceMeasure[] = BOARD_MEASURES,
): BoardReport {
  const period = parsePeriod(periodId) as ReportPeriod;
  return buildBoardReport(store.data, period, today, measures, archivedHistoryFor(store, archive, period));
}

/** The board report from the live data: any quarter that has started, as of today (London). */
export function createReportService(
  store: Store,
  measures: MeasureRegistry,
  archive = new ArchiveReader(store.path),
) {
  return {
    /** Throws when `periodId` is not a quarter that has started; callers check with periodProblem first. */
    build(periodId: string, today: string): BoardReport {
      const problem = periodProblem(periodId, today);
      if (problem) throw new Error(problem);
      return buildReportWithArchive(store, archive, periodId, today, measures.list());
    },
    recentPeriods: (today: string) => recentPeriods(today, 8),
    render: renderReport,
  };
}

export type ReportService = ReturnType<typeof createReportService>;
