import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import type { FlagRule } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import { str } from '../forms/formHelpers.js';
import { listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { PremisesInput } from '../services/premisesService.js';
import { saveForm, notFound } from '../errors.js';
import {
  lastAuditText,
  nextDueText,
  PREMISES,
  type PremisesRow,
  premisesFlagsText,
} from './premisesColumns.js';

const FIELDS: (keyof PremisesInput)[] = [
  'ref',
  'name',
  'uprn',
  'address',
  'postcode',
  'ward',
  'operator',
  'buildingType',
  'hireableSpace',
  'publicIt',
  'risk',
  'riskRationale',
  'siteManagerEmail',
];

function readInput(body: Record<string, unknown>): PremisesInput {
  return Object.fromEntries(FIELDS.map((f) => [f, str(body, f)])) as unknown as PremisesInput;
}

export function premisesRoutes({ premises, reviews, flags }: Services) {
  const router = Router();
  const staff = requireRole(...areaReaders.premises);

  router.get(
    '/premises',
    staff((req, res) => {
      const filter = { risk: str(req.query, 'risk'), ward: str(req.query, 'ward'), q: str(req.query, 'q') };
      const flagRule = str(req.query, 'flag');
      const allFlags = flags.forUser(req.user, flags.today()).filter((f) => f.subject.type === 'premises');
      const flagsById = new Map<string, FlagRule[]>();
      for (const f of allFlags) flagsById.set(f.subject.id, [...(flagsById.get(f.subject.id) ?? []), f.rule]);
      const query = readQuery(req.query, PREMISES);
      const latest = reviews.latestSubmittedOf('premises');
      const rows = premises
        .list(filter)
        .filter(
          (p) =>
            !flagRule ||
            (flagRule === 'none'
              ? !flagsById.has(p.id)
              : flagsById.get(p.id)?.includes(flagRule as FlagRule)),
        )
        .map((p): PremisesRow => ({ premises: p, last: latest.get(p.id), flags: flagsById.get(p.id) ?? [] }));
      const sorted = sortRows(rows, PREMISES.columns, query);
      if (query.csv) return sendListCsv(res, PREMISES, sorted);
      const list = listPage(PREMISES, sorted, query, { ...filter, flag: flagRule });
      res.render('pages/premises/list', {
        title: 'Premises',
        list,
        rows: list.rows.map((r) => ({
          ...r,
          lastAudit: lastAuditText(r),
          nextDue: nextDueText(r),
          flagsText: premisesFlagsText(r),
        })),
        filter: { ...filter, flag: flagRule },
        wards: premises.wards(),
        flagRules: [...new Set(allFlags.map((f) => f.rule))].sort(),
      });
    }),
  );

  router.get('/premises/new', staff, (_req, res) => {
    res.render('pages/premises/form', {
      title: 'Add premises',
      values: {},
      errors: {},
      action: '/premises',
      version: null,
    });
  });

  router.post(
    '/premises',
    staff(async (req, res) => {
      const input = readInput(req.body);
      const saved = await saveForm(async () => {
        const p = await premises.create(req.user.email, input);
        req.session.flash = { text: `${p.name} was added` };
        res.redirect(303, `/premises/${p.id}`);
      });
      if (!saved.ok) {
        res.status(400).render('pages/premises/form', {
          title: 'Add premises',
          values: input,
          errors: saved.errors,
          hasErrors: true,
          action: '/premises',
          version: null,
        });
      }
    }),
  );

  router.get(
    '/premises/:id',
    staff((req, res) => {
      const p = premises.get(String(req.params.id));
      if (!p) throw notFound();
      const history = reviews.history('premises', p.id);
      const latest = history.find((r) => r.status === 'submitted');
      res.render('pages/premises/show', {
        title: p.name,
        p,
        halls: premises.halls(p.id),
        history: history.map((r) => ({
          ...r,
          completedText: formatDate(r.completedOn),
          nextDueText: formatDate(r.nextDue),
        })),
        latest: latest
          ? {
              ...latest,
              completedText: formatDate(latest.completedOn),
              nextDueText: formatDate(latest.nextDue),
            }
          : null,
        draft: history.find((r) => r.status === 'draft') ?? null,
        actions: reviews.actionsFor('premises', p.id).map((a) => ({ ...a, dueText: formatDate(a.dueOn) })),
        flags: flags
          .forUser(req.user, flags.today())
          .filter((f) => f.subject.type === 'premises' && f.subject.id === p.id),
      });
    }),
  );

  router.get('/premises/:id/edit', staff, (req, res) => {
    const p = premises.get(String(req.params.id));
    if (!p) throw notFound();
    const values = {
      ...p,
      hireableSpace: p.hireableSpace === null ? '' : p.hireableSpace ? 'yes' : 'no',
      publicIt: p.publicIt === null ? '' : p.publicIt ? 'yes' : 'no',
      risk: p.risk ?? '',
    };
    res.render('pages/premises/form', {
      title: `Change ${p.name}`,
      values,
      errors: {},
      action: `/premises/${p.id}`,
      version: p.version,
    });
  });

  router.post(
    '/premises/:id',
    staff(async (req, res) => {
      const p = premises.get(String(req.params.id));
      if (!p) throw notFound();
      const input = readInput(req.body);
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const saved = await saveForm(async () => {
        await premises.update(req.user.email, p.id, input, version);
        req.session.flash = { text: `${input.name} was updated` };
        res.redirect(303, `/premises/${p.id}`);
      });
      if (!saved.ok) {
        res.status(400).render('pages/premises/form', {
          title: `Change ${p.name}`,
          values: input,
          errors: saved.errors,
          hasErrors: true,
          action: `/premises/${p.id}`,
          version,
        });
      }
    }),
  );

  return router;
}
