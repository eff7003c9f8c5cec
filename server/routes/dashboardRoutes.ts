import { Router } from 'express';
import type { Flag, Severity } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import { isoDateOrToday } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { subjectKind } from '../services/subjectRegistry.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const PAGE_SIZE = 50;

/** Where a flag's subject lives in the app. */
export function subjectHref(flag: Flag, actionReview: (id: string) => string | null): string | null {
  const s = flag.subject;
  switch (s.type) {
    case 'premises':
      return `/premises/${s.id}`;
    case 'booking':
      return `/bookings/${s.id}`;
    case 'library':
      return `/libraries/${s.id}`;
    case 'school':
      return `/schools/${s.id}`;
    case 'department':
      return `/training/departments/${s.id}`;
    case 'plan':
      return '/plan';
    case 'action':
      return actionReview(s.id);
    default:
      return null;
  }
}

export function dashboardRoutes({ flags, store }: Services) {
  const router = Router();
  router.get('/', anyRole(), (req, res) => {
    const today = flags.today();
    const asOf = isoDateOrToday(req.query.as_of, today) ?? today;
    const visible = flags.forUser(req.user!, asOf);
    const rules = [...new Set(visible.map((f) => f.rule))].sort();
    const types = [...new Set(visible.map((f) => f.subject.type))].sort();
    const severity = SEVERITIES.includes(req.query.severity as Severity)
      ? (req.query.severity as Severity)
      : '';
    const rule = rules.includes(req.query.rule as Flag['rule']) ? (req.query.rule as string) : '';
    const type = types.includes(req.query.type as Flag['subject']['type']) ? (req.query.type as string) : '';
    const shown = visible.filter(
      (f) =>
        (!severity || f.severity === severity) &&
        (!rule || f.rule === rule) &&
        (!type || f.subject.type === type),
    );
    const counts = Object.fromEntries(
      SEVERITIES.map((s) => [s, visible.filter((f) => f.severity === s).length]),
    );
    const page = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    const slice = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const actionReview = (id: string) => {
      const a = store.get('actions', id);
      if (a) return a.reviewId ? `/reviews/${a.reviewId}` : null;
      return store.get('planActivities', id) ? `/plan#activity-${id}` : null;
    };
    // Link only to pages this user may open (a viewer sees every flag but no subject pages): a reviewed
    // subject's kind says who may view it; an action belongs to its review's subject.
    const mayOpen = (f: Flag) => {
      let { type, id } = f.subject as { type: string; id: string };
      if (type === 'action') {
        const a = store.get('actions', id);
        if (a) ({ subjectType: type, subjectId: id } = a);
        else if (store.get('planActivities', id)) ({ type, id } = { type: 'plan', id: 'plan' });
        else return false;
      }
      const kind = subjectKind(type);
      return kind ? kind.canView(req.user!, id) : true;
    };
    const query = (p: number) => {
      const q = new URLSearchParams();
      if (severity) q.set('severity', severity);
      if (rule) q.set('rule', rule);
      if (type) q.set('type', type);
      if (asOf !== today) q.set('as_of', asOf);
      q.set('page', String(p));
      return `/?${q}`;
    };
    res.render('pages/dashboard/index', {
      title: 'Dashboard',
      asOf,
      asOfText: formatDate(asOf),
      counts,
      total: visible.length,
      shownTotal: shown.length,
      groups: SEVERITIES.map((s) => ({
        severity: s,
        flags: slice
          .filter((f) => f.severity === s)
          .map((f) => ({
            ...f,
            href: mayOpen(f) ? subjectHref(f, actionReview) : null,
            dueText: formatDate(f.dueOn),
          })),
      })).filter((g) => g.flags.length > 0),
      filters: { severity, rule, type },
      rules,
      types,
      pagination: {
        previous: page > 1 ? { href: query(page - 1) } : null,
        next: page < pages ? { href: query(page + 1) } : null,
      },
      page,
      pages,
    });
  });
  return router;
}
