import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { periodOf } from '../../checks/report/reportPeriod.js';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { reportView } from '../services/report/reportHtml.js';
import { type ReportFormat, periodProblem, reportFormats } from '../services/report/reportService.js';

/** The board report for a quarter: a page for coordinators and board members, and its downloads. */
export function reportRoutes({ report, flags }: Services) {
  const router = Router();
  const readers = requireRole(...areaReaders.report);

  router.get('/report', readers, (req, res) => {
    const today = flags.today();
    const periodId = str(req.query, 'period') || periodOf(today).id;
    const periods = report.recentPeriods(today).map((p) => ({ value: p.id, text: `${p.id}: ${p.label}` }));
    const problem = periodProblem(periodId, today);
    if (problem) {
      return res.status(400).render('pages/report/index', {
        title: 'Board report',
        view: null,
        periods,
        periodId,
        errors: { period: { text: problem, href: '#period' } },
        hasErrors: true,
      });
    }
    const built = report.build(periodId, today);
    res.render('pages/report/index', {
      title: `Board report ${built.period.id}`,
      view: reportView(built, { links: true }),
      periods,
      periodId: built.period.id,
      downloads: reportFormats.map((f) => ({
        format: f,
        href: `/report/download?period=${built.period.id}&format=${f}`,
      })),
      errors: {},
    });
  });

  router.get('/report/download', readers, async (req, res) => {
    const today = flags.today();
    const periodId = str(req.query, 'period') || periodOf(today).id;
    const format = str(req.query, 'format') as ReportFormat;
    const problem =
      periodProblem(periodId, today) ?? (reportFormats.includes(format) ? null : 'Choose html, csv or pdf');
    if (problem) {
      res.status(400).type('text/plain').send(problem);
      return;
    }
    const rendered = await report.render(report.build(periodId, today), format);
    res.set('Content-Type', rendered.contentType);
    res.set('Content-Disposition', `attachment; filename="${rendered.fileName}"`);
    res.set('Cache-Control', 'no-store');
    res.send(rendered.body);
  });

  return router;
}
