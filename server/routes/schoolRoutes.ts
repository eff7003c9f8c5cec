import { Router, type Response } from 'express';
import type { Flag } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import {
  leadRoleLabels,
  leadRoles,
  type Term,
  terms,
  trainingTypeLabels,
  trainingTypes,
} from '../../data/schemas/schoolSchemas.js';
import { type Body, readDateInput, str } from '../forms/formHelpers.js';
import { notFound, requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { toCsv } from '../services/csvExport.js';
import {
  type CountField,
  countFields,
  type HomeEducationInput,
  type LeadInput,
  termLabel,
} from '../services/schoolService.js';
import { saveForm } from '../errors.js';

const PAGE_SIZE = 50;

export const countLabels: Record<CountField, string> = {
  offRollForEhe: 'Pupils taken off roll for elective home education',
  missingEducation: 'Children identified as missing education',
  eheTeamContacted: 'Contacted by the elective home education team',
  safeguardingConcerns: 'With a safeguarding concern',
  preventConcerns: 'With a Prevent concern',
  referralsToMash: 'Referred to the multi-agency safeguarding hub',
  referralsToPrevent: 'Referred to Prevent (national referral form)',
};

function readLead(body: Body): LeadInput {
  return {
    name: str(body, 'name'),
    role: str(body, 'role'),
    email: str(body, 'email'),
    phone: str(body, 'phone'),
    startOn: readDateInput(body, 'startOn', 'the start date', false),
    endOn: readDateInput(body, 'endOn', 'the end date', false),
    contactConfirmedOn: readDateInput(
      body,
      'contactConfirmedOn',
      'the date contact details were confirmed',
      false,
    ),
  };
}

/** What the lead form shows again after an error: dates as typed. */
function leadValues(input: LeadInput, body: Body) {
  const parts = (p: string) => ({
    day: str(body, `${p}-day`),
    month: str(body, `${p}-month`),
    year: str(body, `${p}-year`),
  });
  return {
    ...input,
    startOn: parts('startOn'),
    endOn: parts('endOn'),
    contactConfirmedOn: parts('contactConfirmedOn'),
  };
}

function readHomeEducation(body: Body): HomeEducationInput {
  return {
    academicYear: str(body, 'academicYear'),
    term: str(body, 'term'),
    counts: Object.fromEntries(countFields.map((f) => [f, str(body, f)])) as Record<CountField, string>,
    notes: str(body, 'notes'),
  };
}

const version = (body: Body) => Number.parseInt(str(body, 'version'), 10);

/**
 * Schools (GIAS), Prevent leads and their training, the distribution list and home-education counts.
 * Education and coordinators only: lead contact details are personal data.
 */
export function schoolRoutes({ schools, reviews, flags }: Services) {
  const router = Router();
  const education = requireRole('coordinator', 'education');

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
    for (const f of all) {
      const set = rulesById.get(f.subject.id);
      if (set) set.add(f.rule);
      else rulesById.set(f.subject.id, new Set([f.rule]));
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

  const homeEducationForm = (
    res: Response,
    opts: {
      title: string;
      action: string;
      values: Record<string, unknown>;
      version: number | null;
      errors?: object;
    },
  ) => {
    const thisYear = Number(schools.today().slice(0, 4));
    const hasErrors = Boolean(opts.errors && Object.keys(opts.errors).length > 0);
    res.status(hasErrors ? 400 : 200).render('pages/schools/homeEducationForm', {
      ...opts,
      errors: opts.errors ?? {},
      hasErrors,
      years: Array.from({ length: 6 }, (_, i) => thisYear - 4 + i).reverse(),
      terms,
      countFields,
      countLabels,
    });
  };

  router.get('/schools/home-education', education, (_req, res) => {
    res.render('pages/schools/homeEducation', {
      title: 'Home education pathway',
      counts: schools.homeEducationCounts().map((c) => ({ ...c, label: termLabel(c.academicYear, c.term) })),
      countFields,
      countLabels,
    });
  });

  router.get('/schools/home-education/new', education, (_req, res) => {
    const today = schools.today();
    const [y, m] = today.split('-').map(Number);
    // September to December is the autumn term of the academic year starting that September.
    const academicYear = m >= 9 ? y : y - 1;
    const term: Term = m >= 9 ? 'autumn' : m <= 3 ? 'spring' : 'summer';
    homeEducationForm(res, {
      title: 'Record home education counts',
      action: '/schools/home-education',
      values: { academicYear: String(academicYear), term },
      version: null,
    });
  });

  router.post('/schools/home-education', education, async (req, res) => {
    const input = readHomeEducation(req.body);
    const saved = await saveForm(async () => {
      await schools.addHomeEducationCount(req.user!.email, input);
    });
    if (!saved.ok) {
      return homeEducationForm(res, {
        title: 'Record home education counts',
        action: '/schools/home-education',
        values: { ...input, ...input.counts },
        version: null,
        errors: saved.errors,
      });
    }
    req.session.flash = { text: 'The counts were recorded' };
    res.redirect(303, '/schools/home-education');
  });

  router.get('/schools/home-education/:id/edit', education, (req, res) => {
    const c = schools.homeEducationCount(String(req.params.id));
    if (!c) throw notFound();
    homeEducationForm(res, {
      title: `Change counts for ${termLabel(c.academicYear, c.term).toLowerCase()}`,
      action: `/schools/home-education/${c.id}`,
      values: {
        ...c,
        academicYear: String(c.academicYear),
        ...Object.fromEntries(countFields.map((f) => [f, String(c[f])])),
      },
      version: c.version,
    });
  });

  router.post('/schools/home-education/:id', education, async (req, res) => {
    const c = schools.homeEducationCount(String(req.params.id));
    if (!c) throw notFound();
    const input = readHomeEducation(req.body);
    const saved = await saveForm(async () => {
      await schools.updateHomeEducationCount(req.user!.email, c.id, input, version(req.body));
    });
    if (!saved.ok) {
      return homeEducationForm(res, {
        title: `Change counts for ${termLabel(c.academicYear, c.term).toLowerCase()}`,
        action: `/schools/home-education/${c.id}`,
        values: { ...input, ...input.counts },
        version: version(req.body),
        errors: saved.errors,
      });
    }
    req.session.flash = { text: 'The counts were updated' };
    res.redirect(303, '/schools/home-education');
  });

  const loadSchool = (id: unknown) => {
    const s = schools.get(String(id));
    if (!s) throw notFound();
    return s;
  };

  router.get('/schools/:id', education, (req, res) => {
    const s = loadSchool(req.params.id);
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
      formatDate,
    });
  });

  const leadForm = (
    res: Response,
    opts: {
      title: string;
      school: { id: string; name: string };
      action: string;
      values: Record<string, unknown>;
      version: number | null;
      errors?: object;
    },
  ) => {
    const hasErrors = Boolean(opts.errors && Object.keys(opts.errors).length > 0);
    res.status(hasErrors ? 400 : 200).render('pages/schools/leadForm', {
      ...opts,
      errors: opts.errors ?? {},
      hasErrors,
      roles: leadRoles.map((r) => ({ value: r, text: leadRoleLabels[r] })),
    });
  };

  router.get('/schools/:id/leads/new', education, (req, res) => {
    const s = loadSchool(req.params.id);
    leadForm(res, {
      title: 'Add a Prevent lead',
      school: s,
      action: `/schools/${s.id}/leads`,
      values: { role: 'dsl', startOn: schools.today(), contactConfirmedOn: schools.today() },
      version: null,
    });
  });

  router.post('/schools/:id/leads', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const input = readLead(req.body);
    const saved = await saveForm(async () => {
      await schools.addLead(req.user!.email, s.id, input);
    });
    if (!saved.ok) {
      return leadForm(res, {
        title: 'Add a Prevent lead',
        school: s,
        action: `/schools/${s.id}/leads`,
        values: leadValues(input, req.body),
        version: null,
        errors: saved.errors,
      });
    }
    req.session.flash = { text: `${input.name} was added as a Prevent lead` };
    res.redirect(303, `/schools/${s.id}`);
  });

  router.get('/schools/:id/leads/:leadId/edit', education, (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    leadForm(res, {
      title: `Change ${lead.name}’s details`,
      school: s,
      action: `/schools/${s.id}/leads/${lead.id}`,
      values: { ...lead, email: lead.email ?? '', phone: lead.phone ?? '' },
      version: lead.version,
    });
  });

  router.post('/schools/:id/leads/:leadId', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    const input = readLead(req.body);
    const saved = await saveForm(async () => {
      await schools.updateLead(req.user!.email, s.id, lead.id, input, version(req.body));
    });
    if (!saved.ok) {
      return leadForm(res, {
        title: `Change ${lead.name}’s details`,
        school: s,
        action: `/schools/${s.id}/leads/${lead.id}`,
        values: leadValues(input, req.body),
        version: version(req.body),
        errors: saved.errors,
      });
    }
    req.session.flash = { text: `${input.name}’s details were updated` };
    res.redirect(303, `/schools/${s.id}`);
  });

  const endForm = (
    res: Response,
    opts: {
      s: { id: string; name: string };
      lead: { id: string; name: string };
      value: unknown;
      version: number;
      errors?: object;
    },
  ) => {
    const hasErrors = Boolean(opts.errors && Object.keys(opts.errors).length > 0);
    res.status(hasErrors ? 400 : 200).render('pages/schools/endLead', {
      title: `End ${opts.lead.name} as Prevent lead`,
      ...opts,
      errors: opts.errors ?? {},
      hasErrors,
    });
  };

  router.get('/schools/:id/leads/:leadId/end', education, (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    endForm(res, { s, lead, value: lead.endOn ?? schools.today(), version: lead.version });
  });

  router.post('/schools/:id/leads/:leadId/end', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    const endOn = readDateInput(req.body, 'endOn', 'the date they stopped being Prevent lead');
    const saved = await saveForm(async () => {
      await schools.endLead(req.user!.email, s.id, lead.id, endOn, version(req.body));
    });
    if (!saved.ok) {
      return endForm(res, { s, lead, value: endOn.parts, version: version(req.body), errors: saved.errors });
    }
    req.session.flash = { text: `${lead.name} is no longer Prevent lead from ${formatDate(endOn.iso)}` };
    res.redirect(303, `/schools/${s.id}`);
  });

  router.post('/schools/:id/leads/:leadId/confirm', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    await schools.confirmContact(req.user!.email, s.id, lead.id, version(req.body));
    req.session.flash = { text: `${lead.name}’s contact details were confirmed today` };
    res.redirect(303, `/schools/${s.id}`);
  });

  const trainingForm = (
    res: Response,
    opts: {
      s: { id: string; name: string };
      lead: { id: string; name: string };
      values: Record<string, unknown>;
      errors?: object;
    },
  ) => {
    const hasErrors = Boolean(opts.errors && Object.keys(opts.errors).length > 0);
    res.status(hasErrors ? 400 : 200).render('pages/schools/trainingForm', {
      title: `Add training for ${opts.lead.name}`,
      ...opts,
      errors: opts.errors ?? {},
      hasErrors,
      types: trainingTypes.map((t) => ({ value: t, text: trainingTypeLabels[t] })),
    });
  };

  router.get('/schools/:id/leads/:leadId/training/new', education, (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    trainingForm(res, { s, lead, values: {} });
  });

  router.post('/schools/:id/leads/:leadId/training', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    const completedOn = readDateInput(req.body, 'completedOn', 'the date of the training');
    const input = { type: str(req.body, 'type'), completedOn, evidenceRef: str(req.body, 'evidenceRef') };
    const saved = await saveForm(async () => {
      await schools.addTraining(req.user!.email, s.id, lead.id, input);
    });
    if (!saved.ok) {
      return trainingForm(res, {
        s,
        lead,
        values: { ...input, completedOn: completedOn.parts },
        errors: saved.errors,
      });
    }
    req.session.flash = { text: `Training was recorded for ${lead.name}` };
    res.redirect(303, `/schools/${s.id}`);
  });

  router.post('/schools/:id/leads/:leadId/training/:trainingId/remove', education, async (req, res) => {
    const s = loadSchool(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    await schools.removeTraining(req.user!.email, s.id, lead.id, String(req.params.trainingId));
    req.session.flash = { text: `A training record was removed from ${lead.name}` };
    res.redirect(303, `/schools/${s.id}`);
  });

  return router;
}
