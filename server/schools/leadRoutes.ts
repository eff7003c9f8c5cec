import { Router, type Response } from 'express';
import { formatDate } from '../../checks/londonDates.js';
import {
  leadRoleLabels,
  leadRoles,
  trainingTypeLabels,
  trainingTypes,
} from '../../data/schemas/schoolSchemas.js';
import { type Body, readDateInput, str } from '../forms/formHelpers.js';
import { type Removal, removalConfirmed, renderRemoval } from '../forms/removal.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { LeadInput } from '../services/schoolService.js';
import { notFound, saveForm } from '../errors.js';
import { loadSchool } from './loadSchool.js';

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

const version = (body: Body) => Number.parseInt(str(body, 'version'), 10);

/** A school's Prevent leads (add, change, end, confirm contact) and their training records. */
export function leadRoutes({ schools }: Services) {
  const router = Router();
  const education = requireRole('coordinator', 'education');
  const school = (id: unknown) => loadSchool(schools, id);

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
    const s = school(req.params.id);
    leadForm(res, {
      title: 'Add a Prevent lead',
      school: s,
      action: `/schools/${s.id}/leads`,
      values: { role: 'dsl', startOn: schools.today(), contactConfirmedOn: schools.today() },
      version: null,
    });
  });

  router.post(
    '/schools/:id/leads',
    education(async (req, res) => {
      const s = school(req.params.id);
      const input = readLead(req.body);
      const saved = await saveForm(async () => {
        await schools.addLead(req.user.email, s.id, input);
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
      // GOV.UK add to a list: the leads so far, and whether to add another.
      res.redirect(303, `/schools/${s.id}/leads`);
    }),
  );

  router.get('/schools/:id/leads/:leadId/edit', education, (req, res) => {
    const s = school(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    leadForm(res, {
      title: `Change ${lead.name}’s details`,
      school: s,
      action: `/schools/${s.id}/leads/${lead.id}`,
      values: { ...lead, email: lead.email ?? '', phone: lead.phone ?? '' },
      version: lead.version,
    });
  });

  router.post(
    '/schools/:id/leads/:leadId',
    education(async (req, res) => {
      const s = school(req.params.id);
      const lead = schools.lead(s.id, String(req.params.leadId));
      const input = readLead(req.body);
      const saved = await saveForm(async () => {
        await schools.updateLead(req.user.email, s.id, lead.id, input, version(req.body));
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
    }),
  );

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
    const s = school(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    endForm(res, { s, lead, value: lead.endOn ?? schools.today(), version: lead.version });
  });

  router.post(
    '/schools/:id/leads/:leadId/end',
    education(async (req, res) => {
      const s = school(req.params.id);
      const lead = schools.lead(s.id, String(req.params.leadId));
      const endOn = readDateInput(req.body, 'endOn', 'the date they stopped being Prevent lead');
      const saved = await saveForm(async () => {
        await schools.endLead(req.user.email, s.id, lead.id, endOn, version(req.body));
      });
      if (!saved.ok) {
        return endForm(res, {
          s,
          lead,
          value: endOn.parts,
          version: version(req.body),
          errors: saved.errors,
        });
      }
      req.session.flash = { text: `${lead.name} is no longer Prevent lead from ${formatDate(endOn.iso)}` };
      res.redirect(303, `/schools/${s.id}`);
    }),
  );

  router.post(
    '/schools/:id/leads/:leadId/confirm',
    education(async (req, res) => {
      const s = school(req.params.id);
      const lead = schools.lead(s.id, String(req.params.leadId));
      await schools.confirmContact(req.user.email, s.id, lead.id, version(req.body));
      req.session.flash = { text: `${lead.name}’s contact details were confirmed today` };
      res.redirect(303, `/schools/${s.id}`);
    }),
  );

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
    const s = school(req.params.id);
    const lead = schools.lead(s.id, String(req.params.leadId));
    trainingForm(res, { s, lead, values: {} });
  });

  router.post(
    '/schools/:id/leads/:leadId/training',
    education(async (req, res) => {
      const s = school(req.params.id);
      const lead = schools.lead(s.id, String(req.params.leadId));
      const completedOn = readDateInput(req.body, 'completedOn', 'the date of the training');
      const input = { type: str(req.body, 'type'), completedOn, evidenceRef: str(req.body, 'evidenceRef') };
      const saved = await saveForm(async () => {
        await schools.addTraining(req.user.email, s.id, lead.id, input);
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
    }),
  );

  /** A lead's training record and where removing it is asked and confirmed. */
  const trainingRemoval = (schoolId: unknown, leadId: unknown, trainingId: unknown) => {
    const s = school(schoolId);
    const lead = schools.lead(s.id, String(leadId));
    const record = schools.training(lead.id).find((t) => t.id === String(trainingId));
    if (!record) throw notFound();
    const removal: Removal = {
      heading: 'Remove this training record?',
      rows: [
        { key: 'Prevent lead', value: `${lead.name}, ${s.name}` },
        { key: 'Training', value: trainingTypeLabels[record.type] ?? record.type },
        { key: 'Date', value: formatDate(record.completedOn) },
        { key: 'Evidence', value: record.evidenceRef || 'None' },
      ],
      warning: 'The record is removed for good. The lead’s training will be worked out without it.',
      action: `/schools/${s.id}/leads/${lead.id}/training/${record.id}/remove`,
      backHref: `/schools/${s.id}`,
      button: 'Yes, remove this training record',
    };
    return { s, lead, record, removal };
  };

  router.get('/schools/:id/leads/:leadId/training/:trainingId/remove', education, (req, res) => {
    renderRemoval(res, trainingRemoval(req.params.id, req.params.leadId, req.params.trainingId).removal);
  });

  router.post(
    '/schools/:id/leads/:leadId/training/:trainingId/remove',
    education(async (req, res) => {
      const { s, lead, record, removal } = trainingRemoval(
        req.params.id,
        req.params.leadId,
        req.params.trainingId,
      );
      if (!removalConfirmed(req.body)) return renderRemoval(res, removal);
      await schools.removeTraining(req.user.email, s.id, lead.id, record.id);
      req.session.flash = { text: `A training record was removed from ${lead.name}` };
      res.redirect(303, `/schools/${s.id}`);
    }),
  );

  return router;
}
