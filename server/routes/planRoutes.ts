import { areaReaders } from '../../checks/permissions.js';
import { type Response, Router } from 'express';
import { activityLate } from '../../checks/flags/planFlags.js';
import { formatDate } from '../../checks/londonDates.js';
import { PLAN_ID, ragStatuses } from '../../data/schemas/trainingSchemas.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { ActivityInput, PlanInput } from '../services/planService.js';
import { ragLabels } from '../services/report/reportText.js';
import { type FieldErrors, saveForm, notFound } from '../errors.js';

const ragItems = ragStatuses.map((s) => ({ value: s, text: ragLabels[s] }));

function readActivity(body: Record<string, unknown>): ActivityInput & { dueParts: unknown } {
  const due = readDateInput(body, 'due', 'a due date');
  return {
    headingId: str(body, 'headingId'),
    description: str(body, 'description'),
    owner: str(body, 'owner'),
    ownerEmail: str(body, 'ownerEmail'),
    dueOn: due.iso,
    dueError: due.error,
    dueParts: due.parts,
    rag: str(body, 'rag'),
    repeatMonths: str(body, 'repeatMonths'),
  };
}

const readPlan = (body: Record<string, unknown>): PlanInput => ({
  title: str(body, 'title'),
  ownerEmail: str(body, 'ownerEmail'),
});

/**
 * The Prevent action plan. The coordinator keeps it; the viewer (board members) may read it, as the
 * dashboard links late activities here, but not who wrote each note.
 */
export function planRoutes({ plan, reviews, flags }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');
  const readers = requireRole(...areaReaders.plan);

  router.get(
    '/plan',
    readers((req, res) => {
      const p = plan.get();
      const canEdit = req.user.role === 'coordinator';
      if (!p) {
        return res.render('pages/plan/index', {
          title: 'Action plan',
          p: null,
          canEdit,
          values: { title: 'Prevent partnership action plan', ownerEmail: req.user.email },
          errors: {},
        });
      }
      const today = flags.today();
      const history = reviews.history('plan', PLAN_ID);
      const latest = history.find((r) => r.status === 'submitted') ?? null;
      const activities = plan.activities().map((a) => ({
        ...a,
        dueText: formatDate(a.dueOn),
        late: activityLate(a, today),
        notes: a.progressNotes.map((n) => ({ ...n, onText: formatDate(n.on) })),
      }));
      res.render('pages/plan/index', {
        title: 'Action plan',
        p,
        canEdit,
        headings: plan
          .headings()
          .map((h) => ({ ...h, activities: activities.filter((a) => a.headingId === h.id) })),
        counts: Object.fromEntries(ragStatuses.map((s) => [s, activities.filter((a) => a.rag === s).length])),
        lateCount: activities.filter((a) => a.late).length,
        ragLabels,
        latest: latest && {
          ...latest,
          completedText: formatDate(latest.completedOn),
          nextDueText: formatDate(latest.nextDue),
        },
        draft: canEdit ? (history.find((r) => r.status === 'draft') ?? null) : null,
        reviewsDone: history
          .filter((r) => r.status === 'submitted')
          .map((r) => ({
            ...r,
            completedText: formatDate(r.completedOn),
            nextDueText: formatDate(r.nextDue),
          })),
        overdue: Boolean(latest?.nextDue && latest.nextDue < today) || !latest,
      });
    }),
  );

  router.post(
    '/plan/setup',
    coordinator(async (req, res) => {
      const input = readPlan(req.body);
      const saved = await saveForm(async () => {
        await plan.setUp(req.user.email, input);
        req.session.flash = { text: 'The action plan was set up with the six headings' };
        res.redirect(303, '/plan');
      });
      if (!saved.ok) {
        res.status(400).render('pages/plan/index', {
          title: 'Action plan',
          p: null,
          canEdit: true,
          values: input,
          errors: saved.errors,
          hasErrors: true,
        });
      }
    }),
  );

  function planForm(res: Response, values: PlanInput, version: number, errors?: FieldErrors) {
    res.status(errors ? 400 : 200).render('pages/plan/planForm', {
      title: 'Change the action plan',
      values,
      version,
      errors: errors ?? {},
      hasErrors: Boolean(errors),
    });
  }

  router.get('/plan/edit', coordinator, (_req, res) => {
    const p = plan.get();
    if (!p) throw notFound();
    planForm(res, { title: p.title, ownerEmail: p.ownerEmail ?? '' }, p.version);
  });

  router.post(
    '/plan/edit',
    coordinator(async (req, res) => {
      if (!plan.get()) throw notFound();
      const input = readPlan(req.body);
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const saved = await saveForm(async () => {
        await plan.updatePlan(req.user.email, input, version);
        req.session.flash = { text: 'The plan was updated' };
        res.redirect(303, '/plan');
      });
      if (!saved.ok) {
        planForm(res, input, version, saved.errors);
      }
    }),
  );

  function activityForm(
    res: Response,
    opts: {
      title: string;
      action: string;
      values: Record<string, unknown>;
      version: number | null;
      errors?: FieldErrors;
    },
  ) {
    res.status(opts.errors ? 400 : 200).render('pages/plan/activityForm', {
      ...opts,
      headingItems: plan.headings().map((h) => ({ value: h.id, text: h.title })),
      ragItems,
      errors: opts.errors ?? {},
      hasErrors: Boolean(opts.errors),
    });
  }

  router.get('/plan/activities/new', coordinator, (req, res) => {
    if (!plan.get()) throw notFound();
    activityForm(res, {
      title: 'Add an activity',
      action: '/plan/activities',
      values: { headingId: str(req.query, 'heading'), rag: 'green', due: '' },
      version: null,
    });
  });

  router.post(
    '/plan/activities',
    coordinator(async (req, res) => {
      if (!plan.get()) throw notFound();
      const input = readActivity(req.body);
      const saved = await saveForm(async () => {
        const a = await plan.createActivity(req.user.email, input);
        req.session.flash = { text: 'The activity was added' };
        res.redirect(303, `/plan#activity-${a.id}`);
      });
      if (!saved.ok) {
        activityForm(res, {
          title: 'Add an activity',
          action: '/plan/activities',
          values: { ...input, due: input.dueParts },
          version: null,
          errors: saved.errors,
        });
      }
    }),
  );

  router.get('/plan/activities/:id/edit', coordinator, (req, res) => {
    const a = plan.activity(String(req.params.id));
    if (!a) throw notFound();
    activityForm(res, {
      title: 'Change an activity',
      action: `/plan/activities/${a.id}`,
      values: {
        ...a,
        ownerEmail: a.ownerEmail ?? '',
        due: a.dueOn,
        repeatMonths: a.repeatMonths === null ? '' : String(a.repeatMonths),
        notes: a.progressNotes.map((n) => ({ ...n, onText: formatDate(n.on) })),
        id: a.id,
      },
      version: a.version,
    });
  });

  router.post(
    '/plan/activities/:id',
    coordinator(async (req, res) => {
      const a = plan.activity(String(req.params.id));
      if (!a) throw notFound();
      const input = readActivity(req.body);
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const saved = await saveForm(async () => {
        const { next } = await plan.updateActivity(req.user.email, a.id, input, version);
        req.session.flash = {
          text: next
            ? `The activity was completed; the next one is due ${formatDate(next.dueOn)}`
            : 'The activity was updated',
        };
        res.redirect(303, `/plan#activity-${a.id}`);
      });
      if (!saved.ok) {
        activityForm(res, {
          title: 'Change an activity',
          action: `/plan/activities/${a.id}`,
          values: {
            ...input,
            due: input.dueParts,
            notes: a.progressNotes.map((n) => ({ ...n, onText: formatDate(n.on) })),
            id: a.id,
          },
          version,
          errors: saved.errors,
        });
      }
    }),
  );

  router.post(
    '/plan/activities/:id/notes',
    coordinator(async (req, res) => {
      const a = plan.activity(String(req.params.id));
      if (!a) throw notFound();
      const on = readDateInput(req.body, 'on', 'the date of the note');
      const note = str(req.body, 'note');
      const saved = await saveForm(async () => {
        await plan.addNote(req.user.email, a.id, { on: on.iso, onError: on.error, note });
        req.session.flash = { text: 'The progress note was added' };
        res.redirect(303, `/plan#activity-${a.id}`);
      });
      if (!saved.ok) {
        res.status(400).render('pages/plan/noteForm', {
          title: 'Add a progress note',
          activity: a,
          values: { on: on.parts, note },
          errors: saved.errors,
          hasErrors: true,
        });
      }
    }),
  );

  router.get('/plan/activities/:id/notes/new', coordinator, (req, res) => {
    const a = plan.activity(String(req.params.id));
    if (!a) throw notFound();
    res.render('pages/plan/noteForm', {
      title: 'Add a progress note',
      activity: a,
      values: { on: flags.today(), note: '' },
      errors: {},
    });
  });

  return router;
}
