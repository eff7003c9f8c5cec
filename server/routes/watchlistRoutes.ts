import { notFound } from '../errors.js';
import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { addDays, formatDate, formatDateTime } from '../../checks/londonDates.js';
import type { WatchlistEntryRecord } from '../../data/schemas/hallHireSchemas.js';
import { type ListSpec, listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { filterText } from '../lists/listQuery.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';

const listedText = (e: WatchlistEntryRecord) => formatDate(e.listedOn) || 'Not given';
const referenceText = (e: WatchlistEntryRecord) =>
  [e.reference, e.regime].filter(Boolean).join(', ') || 'None';
const typeText = (e: WatchlistEntryRecord) => (e.type === 'person' ? 'Person' : 'Organisation');

/** The entries of one loaded watch list (/watchlist/:id), by name unless asked otherwise. */
const ENTRIES = (listId: string): ListSpec<WatchlistEntryRecord> => ({
  path: `/watchlist/${listId}`,
  noun: { one: 'entry', many: 'entries' },
  csvFile: 'watch-list.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Name', sort: (e) => e.name, csv: (e) => e.name },
    { key: 'aliases', label: 'Other names', csv: (e) => e.aliases.join('; ') || 'None' },
    { key: 'type', label: 'Type', sort: typeText, csv: typeText },
    { key: 'listed', label: 'Listed on', sort: (e) => e.listedOn, csv: listedText },
    { key: 'reference', label: 'Reference', sort: (e) => referenceText(e), csv: referenceText },
  ],
});

/** The coordinator's watch-list pages: each loaded list with its source and "as of" date, and its entries. */
/** A list older than this is shown as due to be loaded again (CHECKLISTS.md: never older than 30 days). */
export const STALE_LIST_DAYS = 30;

export function watchlistRoutes({ watchlists, flags }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');

  router.get('/watchlist', requireRole(...areaReaders.watchlist), (_req, res) => {
    const staleBefore = addDays(flags.today(), -STALE_LIST_DAYS);
    res.render('pages/watchlist/list', {
      title: 'Watch list',
      lists: watchlists.lists().map((l) => ({
        ...l,
        stale: l.asOf < staleBefore,
        asOfText: formatDate(l.asOf),
        importedText: formatDateTime(l.importedAt),
      })),
    });
  });

  router.get('/watchlist/:id', coordinator, (req, res) => {
    const list = watchlists.get(String(req.params.id));
    if (!list) throw notFound();
    const spec = ENTRIES(list.id);
    const query = readQuery(req.query, spec);
    const q = filterText(req.query, 'q', query.notices);
    const sorted = sortRows(watchlists.entries(list.id, q), spec.columns, query);
    if (query.csv) return sendListCsv(res, spec, sorted);
    const page = listPage(spec, sorted, query, { q });
    res.render('pages/watchlist/show', {
      title: list.source,
      list: { ...list, asOfText: formatDate(list.asOf), importedText: formatDateTime(list.importedAt) },
      q,
      page,
      rows: page.rows.map((e) => ({ ...e, listedText: listedText(e), referenceText: referenceText(e) })),
      backLink: { href: '/watchlist', text: 'Back to the watch list' },
    });
  });

  return router;
}
