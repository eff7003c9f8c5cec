import { Router } from 'express';
import { formatDate, formatDateTime, londonDate } from '../../checks/londonDates.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import { type AuditQuery, changesOf } from '../services/auditService.js';
import type { Services } from '../services/createServices.js';
import { sendCsv } from '../services/csvExport.js';

const PAGE_SIZE = 50;
const ACTION_NAMES: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  erase: 'Personal data removed',
  export: 'Exported',
  retention: 'Retention run',
  archive: 'Moved to the archive',
};

type Errors = Record<string, { text: string; href: string }>;

/** Reads the search form (a GET form, so searches can be bookmarked and exported with the same filters). */
function readQuery(q: Record<string, unknown>): {
  query: AuditQuery;
  errors: Errors;
  raw: Record<string, unknown>;
} {
  const errors: Errors = {};
  const from = readDateInput(q, 'from', 'the from date', false);
  const to = readDateInput(q, 'to', 'the to date', false);
  if (from.error) errors.from = { text: from.error, href: '#from-day' };
  if (to.error) errors.to = { text: to.error, href: '#to-day' };
  if (from.iso && to.iso && from.iso > to.iso)
    errors.to = { text: 'The to date must be the same as or after the from date', href: '#to-day' };
  const query: AuditQuery = {
    who: str(q, 'who') || undefined,
    collection: str(q, 'collection') || undefined,
    recordId: str(q, 'recordId') || undefined,
    from: from.iso ?? undefined,
    to: to.iso ?? undefined,
  };
  return { query, errors, raw: { ...query, from: from.parts, to: to.parts } };
}

function searchParams(q: AuditQuery, page?: number): string {
  const p = new URLSearchParams();
  if (q.who) p.set('who', q.who);
  if (q.collection) p.set('collection', q.collection);
  if (q.recordId) p.set('recordId', q.recordId);
  for (const [name, iso] of [
    ['from', q.from],
    ['to', q.to],
  ] as const) {
    if (!iso) continue;
    const [y, m, d] = iso.split('-');
    p.set(`${name}-day`, String(Number(d)));
    p.set(`${name}-month`, String(Number(m)));
    p.set(`${name}-year`, y ?? '');
  }
  if (page && page > 1) p.set('page', String(page));
  return p.toString();
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/** The audit log for coordinators: who changed what and when, searchable, paged, exportable as CSV. */
export function auditRoutes({ audit, store }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');

  router.get('/audit', coordinator, async (req, res) => {
    const { query, errors, raw } = readQuery(req.query as Record<string, unknown>);
    const hasErrors = Object.keys(errors).length > 0;
    const found = hasErrors ? [] : await audit.search(query);
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1));
    const entries = await audit.load(found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
    const shown = entries.map((e) => ({
      seq: e.seq,
      when: formatDateTime(e.at),
      actor: e.actor,
      action: ACTION_NAMES[e.action] ?? e.action,
      collection: e.collection,
      recordId: e.recordId,
      changes: changesOf(e).map((c) => ({ field: c.field, before: clip(c.before), after: clip(c.after) })),
    }));
    res.status(hasErrors ? 400 : 200).render('pages/audit/index', {
      title: 'Audit log',
      errors,
      hasErrors,
      values: raw,
      collections: await audit.collections(),
      total: found.length,
      entries: shown,
      page,
      pages,
      range: { from: query.from ? formatDate(query.from) : '', to: query.to ? formatDate(query.to) : '' },
      exportHref: `/audit/export.csv${searchParams(query) ? `?${searchParams(query)}` : ''}`,
      pagination: {
        previous: page > 1 ? { href: `/audit?${searchParams(query, page - 1)}` } : null,
        next: page < pages ? { href: `/audit?${searchParams(query, page + 1)}` } : null,
      },
    });
  });

  router.get(
    '/audit/export.csv',
    coordinator(async (req, res) => {
      const { query, errors } = readQuery(req.query as Record<string, unknown>);
      // Bad dates: back to the search page, which explains what is wrong.
      if (Object.keys(errors).length > 0) return res.redirect(303, `/audit?${req.url.split('?')[1] ?? ''}`);
      const { csv } = await audit.exportCsv(req.user.email, query);
      sendCsv(res, `audit-log-${londonDate(store.now())}.csv`, csv);
    }),
  );

  return router;
}
