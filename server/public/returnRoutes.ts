import { type NextFunction, type Request, type Response, Router } from 'express';
import { formatDate, formatDateTime, londonDate } from '../../checks/londonDates.js';
import { type Answers, questionApplies } from '../../checks/reviewRules.js';
import {
  leadRoleLabels,
  leadRoles,
  trainingTypeLabels,
  trainingTypes,
} from '../../data/schemas/schoolSchemas.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { type Removal, removalConfirmed } from '../forms/removal.js';
import { HttpError } from '../errors.js';
import { readAnswers } from '../routes/reviewRoutes.js';
import type { Services } from '../services/createServices.js';
import { InputError } from '../errors.js';
import {
  type LeadFormRow,
  type ReturnContext,
  receiptSummary,
  returnReference,
} from '../returns/returnService.js';
import { createPerAddressLimit } from './perAddressLimit.js';
import { renderPublic } from './renderPublic.js';

const WINDOW_MS = 15 * 60_000;
const answerText = { yes: 'Yes', no: 'No', na: 'Not applicable' } as const;

/** Counts a use unless the address is over its limit (then nothing is counted): whether it may go on. */
function allow(limit: ReturnType<typeof createPerAddressLimit>, address: string): boolean {
  if (limit.blockedUntil(address) !== null) return false;
  limit.record(address);
  return true;
}

/** A page that names nothing: the same for an unknown, altered, ended or expired link. */
const notFoundPage = (res: Response) =>
  renderPublic(res, 'public/returns/notFound', { title: 'This link does not work' }, 404);

/**
 * The school's annual return at /r/TOKEN, for people with no account (SPEC §13): mounted before sign-in
 * and sessions, so nothing here reaches a staff route or holds server memory for a visitor. The personal
 * link is the only credential; a form posted from another site is refused by its Origin.
 */
export function returnRoutes({ returns, store, config }: Services) {
  const router = Router();
  // Every address: enough for a school filling in its return; a flood is answered 429.
  const now = () => store.now().getTime();
  const requests = createPerAddressLimit({ limit: 300, windowMs: WINDOW_MS, now });
  // Links that do not open: a guesser gets 429 long before a guess could matter.
  const misses = createPerAddressLimit({ limit: 100, windowMs: WINDOW_MS, now });
  const tooMany = (res: Response) =>
    renderPublic(res, 'public/returns/tooMany', { title: 'Too many requests' }, 429);

  router.use('/r', (req, res, next) => {
    if (!allow(requests, req.ip ?? '')) return tooMany(res);
    const origin = req.get('origin');
    if (req.method === 'POST' && origin && origin !== `${req.protocol}://${req.get('host')}`)
      return renderPublic(
        res,
        'public/returns/message',
        {
          title: 'The form did not come from this service',
          message: 'Go back to the email with your link and open it again.',
        },
        403,
      );
    next();
  });

  router.get('/r/privacy', (_req, res) =>
    renderPublic(res, 'public/returns/privacy', { title: 'How we use your information' }),
  );

  /** Finds the return behind the link, or answers 404 (429 once an address has missed too often). */
  const withReturn =
    (handler: (ctx: ReturnContext, req: Request, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const ctx = returns.resolve(String(req.params.token));
      if (!ctx) return allow(misses, req.ip ?? '') ? notFoundPage(res) : tooMany(res);
      const base = `/r/${String(req.params.token)}`;
      res.locals.base = base;
      if (ctx.ret.status === 'submitted' && !(req.method === 'GET' && req.path === base))
        return res.redirect(303, base);
      return handler(ctx, req, res);
    };

  const page = (
    res: Response,
    ctx: ReturnContext,
    view: string,
    title: string,
    model: Record<string, unknown> = {},
    status?: number,
  ) =>
    renderPublic(
      res,
      `public/returns/${view}`,
      {
        title,
        school: ctx.school,
        base: res.locals.base,
        lastDayText: formatDate(ctx.ret.lastDay),
        ...model,
      },
      status,
    );

  router.get(
    '/r/:token',
    withReturn(async (ctx, _req, res) => {
      if (ctx.ret.status === 'submitted') return receipt(res, ctx);
      await returns.opened(ctx);
      const fresh = returns.resolve(String(_req.params.token))!;
      return page(res, fresh, 'taskList', `Annual Prevent return for ${ctx.school.name}`, {
        progress: returns.progress(fresh.ret),
        saved: fresh.ret.status === 'draft',
      });
    }),
  );

  function receipt(res: Response, ctx: ReturnContext) {
    const r = ctx.ret;
    return page(res, ctx, 'receipt', 'Return submitted', {
      reference: returnReference(r),
      submittedText: formatDateTime(r.submittedAt),
      by: r.attestation,
      summary: receiptSummary(r),
    });
  }

  const leadsPage = (
    res: Response,
    ctx: ReturnContext,
    rows: LeadFormRow[],
    added: LeadFormRow,
    errors = {},
  ) =>
    page(res, ctx, 'leads', 'Your Prevent lead', {
      rows,
      added,
      errors,
      roles: leadRoles.map((r) => ({ value: r, text: leadRoleLabels[r] })),
    });

  const blankLead: LeadFormRow = { key: '', name: '', role: '', email: '', phone: '', still: '' };

  router.get(
    '/r/:token/leads',
    withReturn((ctx, _req, res) =>
      leadsPage(
        res,
        ctx,
        returns.draftLeads(ctx).map((l) => ({
          key: l.key,
          name: l.name,
          role: l.role,
          email: l.email ?? '',
          phone: l.phone ?? '',
          still: ctx.ret.leads ? (l.stillLead ? 'yes' : 'no') : '',
        })),
        blankLead,
      ),
    ),
  );

  router.post(
    '/r/:token/leads',
    withReturn(async (ctx, req, res) => {
      const known = returns.draftLeads(ctx);
      const rows = known.map((l, i) => ({
        key: l.key,
        name: str(req.body, `lead-${i}-name`),
        role: str(req.body, `lead-${i}-role`),
        email: str(req.body, `lead-${i}-email`),
        phone: str(req.body, `lead-${i}-phone`),
        still: str(req.body, `lead-${i}-still`),
      }));
      const added = {
        key: '',
        name: str(req.body, 'new-name'),
        role: str(req.body, 'new-role'),
        email: str(req.body, 'new-email'),
        phone: str(req.body, 'new-phone'),
        still: 'yes',
      };
      const adding = Boolean(added.name || added.email || added.phone);
      try {
        await returns.saveLeads(ctx, rows, adding ? added : null);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return leadsPage(res, ctx, rows, added, err.errors);
      }
      res.redirect(303, `/r/${String(req.params.token)}`);
    }),
  );

  const trainingPage = (res: Response, ctx: ReturnContext, values: Record<string, unknown>, errors = {}) => {
    const leads = returns.draftLeads(ctx).filter((l) => l.stillLead);
    const names = new Map(leads.map((l) => [l.key, l.name]));
    return page(res, ctx, 'training', 'Prevent training', {
      added: ctx.ret.training.map((t) => ({
        key: t.key,
        who: names.get(t.leadKey) ?? '',
        what: trainingTypeLabels[t.type],
        when: formatDate(t.completedOn),
        ref: t.evidenceRef ?? '',
      })),
      leads: leads.map((l) => ({ value: l.key, text: l.name })),
      types: trainingTypes.map((t) => ({ value: t, text: trainingTypeLabels[t] })),
      values,
      errors,
    });
  };

  router.get(
    '/r/:token/training',
    withReturn((ctx, _req, res) => trainingPage(res, ctx, {})),
  );

  router.post(
    '/r/:token/training',
    withReturn(async (ctx, req, res) => {
      const completedOn = readDateInput(req.body, 'completedOn', 'the date of the training');
      const input = {
        leadKey: str(req.body, 'leadKey'),
        type: str(req.body, 'type'),
        completedOn,
        evidenceRef: str(req.body, 'evidenceRef'),
      };
      try {
        await returns.addTraining(ctx, input);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return trainingPage(res, ctx, { ...input, completedOn: completedOn.parts }, err.errors);
      }
      res.redirect(303, `/r/${String(req.params.token)}/training`);
    }),
  );

  router.post(
    '/r/:token/training/done',
    withReturn(async (ctx, req, res) => {
      await returns.finishTraining(ctx);
      res.redirect(303, `/r/${String(req.params.token)}`);
    }),
  );

  /** Removing a course asks first (SPEC §17): this page names it; only its "Yes, remove" removes. */
  const trainingRemoval = (ctx: ReturnContext, res: Response, key: string) => {
    const t = ctx.ret.training.find((x) => x.key === key);
    if (!t) throw new HttpError(404, 'Page not found');
    const lead = returns.draftLeads(ctx).find((l) => l.key === t.leadKey);
    const removal: Removal = {
      heading: 'Remove this training?',
      rows: [
        { key: 'Who did the training', value: lead?.name ?? 'Not known' },
        { key: 'Type of training', value: trainingTypeLabels[t.type] },
        { key: 'Date completed', value: formatDate(t.completedOn) },
      ],
      warning: 'It is taken out of your return. You can add it again before you send the return.',
      action: `${res.locals.base}/training/${t.key}/remove`,
      backHref: `${res.locals.base}/training`,
      button: 'Yes, remove this training',
    };
    return page(res, ctx, 'confirmRemoval', removal.heading, { removal });
  };

  router.get(
    '/r/:token/training/:key/remove',
    withReturn((ctx, req, res) => trainingRemoval(ctx, res, String(req.params.key))),
  );

  router.post(
    '/r/:token/training/:key/remove',
    withReturn(async (ctx, req, res) => {
      if (!removalConfirmed(req.body)) return trainingRemoval(ctx, res, String(req.params.key));
      await returns.removeTraining(ctx, String(req.params.key));
      res.redirect(303, `/r/${String(req.params.token)}/training`);
    }),
  );

  const auditPage = (
    res: Response,
    ctx: ReturnContext,
    answers: Answers,
    notes: string | null,
    errors = {},
  ) => {
    const template = returns.template();
    return page(res, ctx, 'audit', 'School Prevent audit', {
      template,
      answers,
      notes,
      applies: Object.fromEntries(template.questions.map((q) => [q.id, questionApplies(q, answers)])),
      answerText,
      errors,
    });
  };

  router.get(
    '/r/:token/audit',
    withReturn((ctx, _req, res) => auditPage(res, ctx, ctx.ret.answers as Answers, ctx.ret.notes)),
  );

  router.post(
    '/r/:token/audit',
    withReturn(async (ctx, req, res) => {
      const template = returns.template();
      const answers = readAnswers(
        req.body,
        template.questions.map((q) => q.id),
        ctx.ret.answers as Answers,
      );
      const notes = str(req.body, 'notes') || null;
      try {
        await returns.saveAudit(ctx, answers, notes);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return auditPage(res, ctx, answers, notes, err.errors);
      }
      res.redirect(303, `/r/${String(req.params.token)}`);
    }),
  );

  const checkPage = (res: Response, ctx: ReturnContext, values: Record<string, unknown>, errors = {}) => {
    const template = returns.template();
    const answers = ctx.ret.answers as Answers;
    const statement = (template.attestation?.statement ?? '')
      .replace('{subject}', ctx.school.name)
      .replace('{date}', formatDate(londonDate(store.now())));
    return page(res, ctx, 'check', 'Check your answers before submitting your return', {
      leads: (ctx.ret.leads ?? []).map((l) => ({ ...l, roleText: leadRoleLabels[l.role] })),
      summary: receiptSummary(ctx.ret),
      questions: template.questions.map((q) => ({
        id: q.id,
        text: q.text,
        answer: questionApplies(q, answers)
          ? (answerText[answers[q.id]?.answer ?? 'na'] ?? '')
          : 'Not applicable',
        comment: answers[q.id]?.reason ?? answers[q.id]?.note ?? '',
      })),
      problems: returns.problems(ctx.ret),
      statement,
      values,
      errors,
    });
  };

  router.get(
    '/r/:token/check',
    withReturn((ctx, _req, res) => checkPage(res, ctx, {})),
  );

  router.post(
    '/r/:token/submit',
    withReturn(async (ctx, req, res) => {
      const attestation = { name: str(req.body, 'attest-name'), role: str(req.body, 'attest-role') };
      try {
        await returns.submit(ctx, attestation);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return checkPage(res, ctx, attestation, err.errors);
      }
      res.redirect(303, `/r/${String(req.params.token)}`);
    }),
  );

  // Anything else under /r, and any error, on a public page: never the staff pages or a stack trace.
  router.use('/r', (_req, res) => notFoundPage(res));
  router.use('/r', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err instanceof HttpError ? err.status : 500;
    if (status >= 500 && config.logErrors) console.error(err);
    return renderPublic(
      res,
      'public/returns/message',
      {
        title: status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem',
        message: status >= 500 ? 'Try again later. Your saved answers are kept.' : (err as Error).message,
      },
      status,
    );
  });

  return router;
}
