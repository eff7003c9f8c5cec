import { flagLabel } from '../../checks/labels.js';
import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import type { Flag } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import { leadRoleLabels, trainingTypeLabels } from '../../data/schemas/schoolSchemas.js';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { toCsv } from '../services/csvExport.js';
import { homeEducationRoutes } from './homeEducationRoutes.js';
import { leadListRoutes } from './leadListRoutes.js';
import { leadRoutes } from './leadRoutes.js';
import { loadSchool } from './loadSchool.js';
import { annualReturnSummary, returnStaffRoutes } from './returnStaffRoutes.js';

const PAGE_SIZE = 50;

/**
 * Schools (GIAS), Prevent leads and their training, the distribution list and home-education counts.
 * Education and coordinators only: lead contact details are personal data.
 */
export function schoolRoutes(services: Services) {
  const { schools, reviews, flags, returnSending } = services;
  const router = Router();
  const education = requireRole(...areaReaders.schools);

  const schoolFlags = (user: Express.Request['user']) =>
    flags.forUser(user!, flags.today()).filter((f) => f.subject.type === 'school');

  router.get('/schools', education, (req, res) => {
    const filter = {
      q: str(req.query, 'q'),
      phase: str(req.query, 'phase'),
      scope: ['in', 'out'].includes(str(req.query, 'scope')) ? str(req.query, 'scope') : '',
      status: str(req.query, 'status'),
    };
    const flagRule = str(req.query, 'flag');
    const all = schoolFlags(req.user);
    const rulesById = new Map<string, Set<string>>();
    // What each school's flags are called: a lead never trained is not "expired" (flagLabel).
    const labelsById = new Map<string, Set<string>>();
    for (const f of all) {
      const set = rulesById.get(f.subject.id);
      if (set) set.add(f.rule);
      else rulesById.set(f.subject.id, new Set([f.rule]));
      const labels = labelsById.get(f.subject.id);
      if (labels) labels.add(flagLabel(f));
      else labelsById.set(f.subject.id, new Set([flagLabel(f)]));
    }
    const shown = schools
      .list(filter)
      .filter(
        (s) =>
          !flagRule ||
          (flagRule === 'none' ? !rulesById.has(s.id) : rulesById.get(s.id)?.has(flagRule) === true),
      );
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(str(req.query, 'page'), 10) || 1));
    const leadCounts = schools.currentLeadCounts(schools.today());
    const query = (p: number) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filter, flag: flagRule })) if (v) q.set(k, v);
      q.set('page', String(p));
      return `/schools?${q}`;
    };
    res.render('pages/schools/list', {
      title: 'Schools',
      list: shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((s) => ({
        ...s,
        leads: leadCounts.get(s.id) ?? 0,
        flags: [...(rulesById.get(s.id) ?? [])].sort(),
        flagLabels: [...(labelsById.get(s.id) ?? [])].sort(),
      })),
      total: shown.length,
      filter: { ...filter, flag: flagRule },
      phases: schools.phases(),
      statuses: schools.statuses(),
      flagRules: [...new Set(all.map((f) => f.rule))].sort(),
      page,
      pages,
      pagination: {
        previous: page > 1 ? { href: query(page - 1) } : null,
        next: page < pages ? { href: query(page + 1) } : null,
      },
    });
  });

  router.get('/schools/distribution', education, (_req, res) => {
    const rows = schools.distribution(schools.today());
    const withEmail = rows.filter((r) => r.email);
    res.render('pages/schools/distribution', {
      title: 'Prevent lead distribution list',
      rows,
      bcc: [...new Set(withEmail.map((r) => r.email))].join('; '),
      missingEmail: rows.length - withEmail.length,
    });
  });

  router.get('/schools/distribution.csv', education, (_req, res) => {
    const rows = schools.distribution(schools.today());
    res
      .type('text/csv; charset=utf-8')
      .attachment(`prevent-leads-${schools.today()}.csv`)
      .set('Cache-Control', 'no-store')
      .send(
        toCsv(
          ['name', 'role', 'email', 'school', 'urn'],
          rows.map((r) => [r.name, r.role, r.email, r.school, r.urn]),
        ),
      );
  });

  // Before /schools/:id, which would otherwise take "home-education" or "returns" for an id.
  router.use(homeEducationRoutes(services));
  router.use(returnStaffRoutes(services));

  router.get('/schools/:id', education, (req, res) => {
    const s = loadSchool(schools, req.params.id);
    const today = schools.today();
    const history = reviews.history('school', s.id);
    const latest = history.find((r) => r.status === 'submitted');
    const flagsHere: Flag[] = schoolFlags(req.user).filter((f) => f.subject.id === s.id);
    res.render('pages/schools/show', {
      title: s.name,
      s,
      flags: flagsHere,
      leads: schools.leads(s.id, today).map((l) => ({
        ...l,
        roleText: leadRoleLabels[l.role],
        training: schools.training(l.id).map((t) => ({
          ...t,
          typeText: trainingTypeLabels[t.type],
          dateText: formatDate(t.completedOn),
        })),
      })),
      latest: latest ?? null,
      draft: history.find((r) => r.status === 'draft') ?? null,
      done: history.filter((r) => r.status === 'submitted'),
      actions: reviews.actionsFor('school', s.id),
      annualReturn: annualReturnSummary(returnSending.statusOf(s.id)),
      formatDate,
    });
  });

  // Before leadRoutes: /schools/:id/leads/another is not a lead id.
  router.use(leadListRoutes(services));
  router.use(leadRoutes(services));
  return router;
}
