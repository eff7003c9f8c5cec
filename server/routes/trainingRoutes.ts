import { areaReaders } from '../../checks/permissions.js';
import { type Response, Router } from 'express';
import { formatDate } from '../../checks/londonDates.js';
import { periodOf } from '../../checks/report/reportPeriod.js';
import { trainingTypeLabels, trainingTypes } from '../../data/schemas/trainingSchemas.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { type Removal, removalConfirmed, renderRemoval } from '../forms/removal.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { DepartmentInput, SessionInput } from '../services/trainingService.js';
import { type FieldErrors, saveForm, notFound } from '../errors.js';

const typeItems = trainingTypes.map((t) => ({ value: t, text: trainingTypeLabels[t] }));

function readDepartment(body: Record<string, unknown>): DepartmentInput {
  return {
    name: str(body, 'name'),
    staffRequiringTraining: str(body, 'staffRequiringTraining'),
    targetPercent: str(body, 'targetPercent'),
  };
}

function readSession(body: Record<string, unknown>): SessionInput & { parts: unknown } {
  const date = readDateInput(body, 'date', 'the date of the session');
  return {
    date: date.iso,
    dateError: date.error,
    parts: date.parts,
    type: str(body, 'type'),
    departmentId: str(body, 'departmentId'),
    attendees: str(body, 'attendees'),
    trainer: str(body, 'trainer'),
    notes: str(body, 'notes'),
  };
}

/**
 * Staff training by department. The coordinator records departments and sessions; the viewer (board
 * members) reads the counts, never the names in staff records or of trainers.
 */
export function trainingRoutes({ training }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');
  const readers = requireRole(...areaReaders.training);

  router.get(
    '/training',
    readers((req, res) => {
      const today = training.today();
      const departments = training.departments(today);
      const names = new Map(departments.map((d) => [d.department.id, d.department.name]));
      res.render('pages/training/index', {
        title: 'Staff training',
        canEdit: req.user.role === 'coordinator',
        quarter: periodOf(today),
        departments,
        sessions: training
          .sessions()
          .slice(0, 50)
          .map((s) => ({
            ...s,
            dateText: formatDate(s.date),
            typeText: trainingTypeLabels[s.type],
            department: names.get(s.departmentId) ?? '',
          })),
        totalSessions: training.sessions().length,
      });
    }),
  );

  function departmentForm(
    res: Response,
    opts: {
      title: string;
      action: string;
      values: DepartmentInput;
      version: number | null;
      errors?: FieldErrors;
    },
  ) {
    res.status(opts.errors ? 400 : 200).render('pages/training/departmentForm', {
      title: opts.title,
      action: opts.action,
      values: opts.values,
      version: opts.version,
      errors: opts.errors ?? {},
      hasErrors: Boolean(opts.errors),
    });
  }

  router.get('/training/departments/new', coordinator, (_req, res) => {
    departmentForm(res, {
      title: 'Add a department',
      action: '/training/departments',
      values: { name: '', staffRequiringTraining: '', targetPercent: '90' },
      version: null,
    });
  });

  router.post(
    '/training/departments',
    coordinator(async (req, res) => {
      const input = readDepartment(req.body);
      const saved = await saveForm(async () => {
        const d = await training.createDepartment(req.user.email, input);
        req.session.flash = { text: `${d.name} was added` };
        res.redirect(303, `/training/departments/${d.id}`);
      });
      if (!saved.ok) {
        departmentForm(res, {
          title: 'Add a department',
          action: '/training/departments',
          values: input,
          version: null,
          errors: saved.errors,
        });
      }
    }),
  );

  router.get(
    '/training/departments/:id',
    readers((req, res) => {
      const d = training.department(String(req.params.id));
      if (!d) throw notFound();
      const today = training.today();
      const figures = training.departments(today).find((f) => f.department.id === d.id)!;
      const isCoordinator = req.user.role === 'coordinator';
      res.render('pages/training/department', {
        title: d.name,
        d,
        figures,
        todayText: formatDate(today),
        canEdit: isCoordinator,
        sessions: training.sessions(d.id).map((s) => ({
          ...s,
          dateText: formatDate(s.date),
          typeText: trainingTypeLabels[s.type],
        })),
        // Names of staff are personal data: only the coordinator sees the records themselves.
        staffRecords: isCoordinator
          ? training.staffRecords(d.id).map((r) => ({
              ...r,
              completedText: formatDate(r.completedOn),
              typeText: trainingTypeLabels[r.trainingType],
            }))
          : [],
        staffRecordCount: training.staffRecords(d.id).length,
      });
    }),
  );

  router.get('/training/departments/:id/edit', coordinator, (req, res) => {
    const d = training.department(String(req.params.id));
    if (!d) throw notFound();
    departmentForm(res, {
      title: `Change ${d.name}`,
      action: `/training/departments/${d.id}`,
      values: {
        name: d.name,
        staffRequiringTraining: String(d.staffRequiringTraining),
        targetPercent: String(d.targetPercent),
      },
      version: d.version,
    });
  });

  router.post(
    '/training/departments/:id',
    coordinator(async (req, res) => {
      const d = training.department(String(req.params.id));
      if (!d) throw notFound();
      const input = readDepartment(req.body);
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const saved = await saveForm(async () => {
        await training.updateDepartment(req.user.email, d.id, input, version);
        req.session.flash = { text: `${input.name} was updated` };
        res.redirect(303, `/training/departments/${d.id}`);
      });
      if (!saved.ok) {
        departmentForm(res, {
          title: `Change ${d.name}`,
          action: `/training/departments/${d.id}`,
          values: input,
          version,
          errors: saved.errors,
        });
      }
    }),
  );

  function sessionForm(
    res: Response,
    opts: {
      title: string;
      action: string;
      values: Record<string, unknown>;
      version: number | null;
      errors?: FieldErrors;
      deleteAction?: string;
    },
  ) {
    res.status(opts.errors ? 400 : 200).render('pages/training/sessionForm', {
      title: opts.title,
      action: opts.action,
      values: opts.values,
      version: opts.version,
      deleteAction: opts.deleteAction ?? null,
      typeItems,
      departmentItems: training
        .departments(training.today())
        .map((d) => ({ value: d.department.id, text: d.department.name })),
      errors: opts.errors ?? {},
      hasErrors: Boolean(opts.errors),
    });
  }

  router.get('/training/sessions/new', coordinator, (req, res) => {
    sessionForm(res, {
      title: 'Record a training session',
      action: '/training/sessions',
      values: {
        date: '',
        type: '',
        departmentId: str(req.query, 'department'),
        attendees: '',
        trainer: '',
        notes: '',
      },
      version: null,
    });
  });

  router.post(
    '/training/sessions',
    coordinator(async (req, res) => {
      const input = readSession(req.body);
      const saved = await saveForm(async () => {
        const s = await training.createSession(req.user.email, input);
        req.session.flash = { text: 'The session was recorded' };
        res.redirect(303, `/training/departments/${s.departmentId}`);
      });
      if (!saved.ok) {
        sessionForm(res, {
          title: 'Record a training session',
          action: '/training/sessions',
          values: { ...input, date: input.parts },
          version: null,
          errors: saved.errors,
        });
      }
    }),
  );

  router.get('/training/sessions/:id/edit', coordinator, (req, res) => {
    const s = training.session(String(req.params.id));
    if (!s) throw notFound();
    sessionForm(res, {
      title: 'Change a training session',
      action: `/training/sessions/${s.id}`,
      values: { ...s, attendees: String(s.attendees), notes: s.notes ?? '' },
      version: s.version,
      deleteAction: `/training/sessions/${s.id}/delete`,
    });
  });

  router.post(
    '/training/sessions/:id',
    coordinator(async (req, res) => {
      const s = training.session(String(req.params.id));
      if (!s) throw notFound();
      const input = readSession(req.body);
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const saved = await saveForm(async () => {
        await training.updateSession(req.user.email, s.id, input, version);
        req.session.flash = { text: 'The session was updated' };
        res.redirect(303, `/training/departments/${input.departmentId}`);
      });
      if (!saved.ok) {
        sessionForm(res, {
          title: 'Change a training session',
          action: `/training/sessions/${s.id}`,
          values: { ...input, date: input.parts },
          version,
          errors: saved.errors,
          deleteAction: `/training/sessions/${s.id}/delete`,
        });
      }
    }),
  );

  /** A session and where removing it is asked and confirmed. */
  const sessionRemoval = (id: unknown) => {
    const s = training.session(String(id));
    if (!s) throw notFound();
    const removal: Removal = {
      heading: 'Remove this training session?',
      rows: [
        { key: 'Department', value: training.department(s.departmentId)?.name ?? 'Not known' },
        { key: 'Date of the session', value: formatDate(s.date) },
        { key: 'Training', value: trainingTypeLabels[s.type] ?? s.type },
        { key: 'Number of attendees', value: String(s.attendees) },
      ],
      warning:
        'The session is removed for good. The department’s share trained will be worked out without it.',
      action: `/training/sessions/${s.id}/delete`,
      backHref: `/training/sessions/${s.id}/edit`,
      button: 'Yes, remove this session',
    };
    return { s, removal };
  };

  router.get('/training/sessions/:id/delete', coordinator, (req, res) => {
    renderRemoval(res, sessionRemoval(req.params.id).removal);
  });

  router.post(
    '/training/sessions/:id/delete',
    coordinator(async (req, res) => {
      const { s, removal } = sessionRemoval(req.params.id);
      if (!removalConfirmed(req.body)) return renderRemoval(res, removal);
      await training.deleteSession(req.user.email, s.id);
      req.session.flash = { text: 'The session was removed' };
      res.redirect(303, `/training/departments/${s.departmentId}`);
    }),
  );

  return router;
}
