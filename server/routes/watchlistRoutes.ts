import { notFound } from '../errors.js';
import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { addDays, formatDate, formatDateTime } from '../../checks/londonDates.js';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';

const PAGE_SIZE = 100;

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
    const q = str(req.query, 'q');
    const entries = watchlists.entries(list.id, q);
    const page = Math.max(1, Number.parseInt(str(req.query, 'page') || '1', 10) || 1);
    const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
    const href = (p: number) =>
      `/watchlist/${list.id}?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
    res.render('pages/watchlist/show', {
      title: list.source,
      list: { ...list, asOfText: formatDate(list.asOf), importedText: formatDateTime(list.importedAt) },
      q,
      total: entries.length,
      entries: entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((e) => ({
        ...e,
        listedText: formatDate(e.listedOn),
      })),
      pagination: {
        previous: page > 1 ? { href: href(page - 1) } : null,
        next: page < pages ? { href: href(page + 1) } : null,
      },
      page,
      pages,
      backLink: { href: '/watchlist', text: 'Back to the watch list' },
    });
  });

  return router;
}
