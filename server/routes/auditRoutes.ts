import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { recordTypeLabel } from '../../checks/labels.js';
import { formatDate, formatDateTime, londonDate } from '../../checks/londonDates.js';
import { redactSecrets } from '../../data/store/auditLog.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import { type ListSpec, listPage, sortRows } from '../lists/list.js';
import { readListQuery } from '../lists/listQuery.js';
import type { AuditIndexRow, AuditQuery } from '../services/auditService.js';
import { auditAreas } from '../services/auditWords.js';
import type { Services } from '../services/createServices.js';
import { sendCsv } from '../services/csvExport.js';

/**
 * Paging and order of the log (the entries themselves are read a page at a time): by time, or by what
 * happened, which reads first who did it (by the name the page gives them), then, for each person, newest
 * first. `who` names an entry's actor.
 */
function auditList(who: (actor: string) => string): ListSpec<AuditIndexRow> {
  return {
    path: '/audit',
    noun: { one: 'entry', many: 'entries' },
    csvFile: 'audit-log.csv',
    defaultSort: { sort: 'when', dir: 'desc' },
    columns: [
      { key: 'when', label: 'When', sort: (r) => r.seq, csv: (r) => r.seq },
      { key: 'what', label: 'What happened', sort: (r) => who(r.actor), csv: () => '' },
      { key: 'changes', label: 'Changes', csv: () => '' },
    ],
  };
}

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
    area: auditAreas.some((a) => a.id === str(q, 'area')) ? str(q, 'area') : undefined,
    collection: str(q, 'collection') || undefined,
    recordId: str(q, 'recordId') || undefined,
    from: from.iso ?? undefined,
    to: to.iso ?? undefined,
  };
  return { query, errors, raw: { ...query, from: from.parts, to: to.parts } };
}

function searchParams(q: AuditQuery): string {
  const p = new URLSearchParams();
  if (q.who) p.set('who', q.who);
  if (q.area) p.set('area', q.area);
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
  return p.toString();
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/** The audit log for coordinators: who changed what and when, searchable, paged, exportable as CSV. */
export function auditRoutes({ audit, store }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');

  router.get('/audit', requireRole(...areaReaders.audit), async (req, res) => {
    const { query, errors, raw } = readQuery(req.query as Record<string, unknown>);
    const hasErrors = Object.keys(errors).length > 0;
    const found = hasErrors ? [] : await audit.search(query);
    // The list component's paging and order (newest first, or oldest first from the When header); only
    // the page shown is read from the log file.
    const spec = auditList(audit.actorNames());
    const order = readListQuery(req.query, ['when', 'what'], spec.defaultSort);
    const sorted =
      order.sort === 'what'
        ? sortRows(found, spec.columns, order)
        : order.dir === 'asc'
          ? [...found].reverse()
          : found;
    const list = listPage(spec, sorted, order, Object.fromEntries(new URLSearchParams(searchParams(query))));
    const entries = await audit.load(list.rows);
    const shown = entries.map((e) => {
      const w = audit.words.inWords(e);
      // The subject's name in the sentence links to its page while the record exists.
      const at = w.subject?.href ? w.did.indexOf(w.subject.name) : -1;
      return {
        seq: e.seq,
        when: formatDateTime(e.at),
        who: w.who,
        did:
          w.subject?.href && at >= 0
            ? {
                before: w.did.slice(0, at),
                link: w.subject.name,
                href: w.subject.href,
                after: w.did.slice(at + w.subject.name.length),
              }
            : { before: w.did, link: '', href: '', after: '' },
        aboutHref: e.recordId !== '-' ? `/audit?${searchParams({ recordId: e.recordId })}` : '',
        changes: w.changes.map((c) => ({ field: c.field, before: clip(c.before), after: clip(c.after) })),
        // The entry as logged (secrets as fingerprints), for the coordinator who needs the record itself.
        raw: JSON.stringify(
          { ...e, before: redactSecrets(e.before), after: redactSecrets(e.after) },
          null,
          2,
        ),
      };
    });
    const kinds = await audit.collections();
    res.status(hasErrors ? 400 : 200).render('pages/audit/index', {
      title: 'Audit log',
      errors,
      hasErrors,
      values: raw,
      collections: kinds
        .map((c) => ({ value: c, text: recordTypeLabel(c, true) }))
        .sort((a, b) => a.text.localeCompare(b.text)),
      areas: auditAreas.map((a) => ({ value: a.id, text: a.label })),
      subjectFiltered: Boolean(query.recordId),
      clearSubjectHref: `/audit?${searchParams({ ...query, recordId: undefined })}`,
      total: found.length,
      entries: shown,
      list,
      range: { from: query.from ? formatDate(query.from) : '', to: query.to ? formatDate(query.to) : '' },
      exportHref: `/audit/export.csv${searchParams(query) ? `?${searchParams(query)}` : ''}`,
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
