import { Router, type Response } from 'express';
import { type Term, terms } from '../../data/schemas/schoolSchemas.js';
import { homeEducationCountLabels } from '../forms/fieldLabels.js';
import { type Body, str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import {
  type CountField,
  countFields,
  type HomeEducationInput,
  termLabel,
} from '../services/schoolService.js';
import { saveForm, notFound } from '../errors.js';

export const countLabels: Record<CountField, string> = homeEducationCountLabels;

function readHomeEducation(body: Body): HomeEducationInput {
  return {
    academicYear: str(body, 'academicYear'),
    term: str(body, 'term'),
    counts: Object.fromEntries(countFields.map((f) => [f, str(body, f)])) as Record<CountField, string>,
    notes: str(body, 'notes'),
  };
}

const version = (body: Body) => Number.parseInt(str(body, 'version'), 10);

/** The home-education pathway's termly counts (no names: counts only). */
export function homeEducationRoutes({ schools }: Services) {
  const router = Router();
  const education = requireRole('coordinator', 'education');

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
    const [y = Number.NaN, m = Number.NaN] = today.split('-').map(Number);
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

  router.post(
    '/schools/home-education',
    education(async (req, res) => {
      const input = readHomeEducation(req.body);
      const saved = await saveForm(async () => {
        await schools.addHomeEducationCount(req.user.email, input);
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
    }),
  );

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

  router.post(
    '/schools/home-education/:id',
    education(async (req, res) => {
      const c = schools.homeEducationCount(String(req.params.id));
      if (!c) throw notFound();
      const input = readHomeEducation(req.body);
      const saved = await saveForm(async () => {
        await schools.updateHomeEducationCount(req.user.email, c.id, input, version(req.body));
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
    }),
  );

  return router;
}
