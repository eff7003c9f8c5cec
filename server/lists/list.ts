import type { Response } from 'express';
import { type CsvValue, sendCsv, toCsv } from '../services/csvExport.js';
import { LIST_PAGE_SIZE, type ListQuery, readListQuery, type SortDirection } from './listQuery.js';

/**
 * One list component (issue 21): sort by any column, filter, page (50), a count, and "Download CSV" of
 * what is shown. A route filters its rows (its own way), then:
 *
 *   const query = readListQuery(req.query, sortKeys(bookingColumns), BOOKINGS.defaultSort);
 *   const sorted = sortRows(rows, bookingColumns, query);
 *   if (query.csv) return sendListCsv(res, BOOKINGS, sorted);
 *   res.render('pages/bookings/list', { list: listPage(BOOKINGS, sorted, query, filterParams), ... });
 *
 * and its view renders `list` with `views/partials/list.ejs`, giving the cells of `list.rows`.
 */

export type SortValue = string | number | null | undefined;

export interface ListColumn<R> {
  /** The column's name in the query string (`?sort=when`). */
  key: string;
  /** The header the table and the CSV file show. */
  label: string;
  /** The value sorted by (text case-insensitively; empty values last either way); none: not sortable. */
  sort?: (row: R) => SortValue;
  /** The CSV cell, in the same words as the page. */
  csv: (row: R) => CsvValue;
  numeric?: boolean;
  /** Only in the CSV file (a detail the table shows inside another column). */
  csvOnly?: boolean;
  /** Only in the table (buttons and links, which mean nothing in a file). */
  tableOnly?: boolean;
}

export interface ListSpec<R> {
  path: string;
  /** "booking" / "bookings", for the count. */
  noun: { one: string; many: string };
  columns: readonly ListColumn<R>[];
  defaultSort: { sort: string; dir: SortDirection };
  /** The download's file name, e.g. `bookings.csv`. */
  csvFile: string;
}

export const sortKeys = <R>(columns: readonly ListColumn<R>[]) =>
  columns.filter((c) => c.sort && !c.csvOnly).map((c) => c.key);

/** `readListQuery` for a list spec. */
export const readQuery = <R>(query: unknown, spec: ListSpec<R>): ListQuery =>
  readListQuery(query, sortKeys(spec.columns), spec.defaultSort);

function normal(value: SortValue): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/**
 * The rows in the asked order: each key worked out once, then one sort (stable, so rows with equal keys
 * keep the order the route gave them). Empty values go last in either direction.
 */
export function sortRows<R>(rows: readonly R[], columns: readonly ListColumn<R>[], query: ListQuery): R[] {
  const column = columns.find((c) => c.key === query.sort && c.sort && !c.csvOnly);
  if (!column?.sort) return [...rows];
  const by = column.sort;
  const keys = rows.map((r) => normal(by(r)));
  const order = rows.map((_, i) => i);
  const sign = query.dir === 'desc' ? -1 : 1;
  order.sort((i, j) => {
    const a = keys[i] ?? null;
    const b = keys[j] ?? null;
    if (a === b) return i - j;
    if (a === null) return 1;
    if (b === null) return -1;
    return (a < b ? -1 : 1) * sign || i - j;
  });
  const out: R[] = [];
  for (const i of order) {
    const row = rows[i];
    if (row !== undefined) out.push(row);
  }
  return out;
}

export interface ListHeader {
  text: string;
  /** The link that sorts by this column (the other way if it is already the sort); none: not sortable. */
  href: string | null;
  ariaSort: 'ascending' | 'descending' | 'none' | null;
  numeric: boolean;
}

export interface PageLink {
  number?: number;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
}

export interface ListPage<R> {
  rows: R[];
  total: number;
  page: number;
  pages: number;
  /** "Showing 51 to 100 of 20,000 bookings" (or "No bookings" / "1 booking"). */
  countText: string;
  head: ListHeader[];
  pagination: { previous: { href: string } | null; next: { href: string } | null; items: PageLink[] };
  csvHref: string;
  notices: string[];
  /** The filters and sort as hidden form fields, so a filter form keeps the sort. */
  sortFields: { name: string; value: string }[];
}

const count = new Intl.NumberFormat('en-GB');

/** The href of `path` with the filters, the sort and `extra` (empty values left out). */
export function hrefOf(path: string, params: Record<string, string>, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...extra })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Page numbers: the first, the last and those next to the current one, gaps as ellipses (GOV.UK). */
function pageItems(page: number, pages: number, href: (p: number) => string): PageLink[] {
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const items: PageLink[] = [];
  let last = 0;
  for (const p of numbers) {
    if (p - last > 1) items.push({ ellipsis: true });
    items.push({ number: p, href: href(p), current: p === page });
    last = p;
  }
  return items;
}

/**
 * The page to show of rows already filtered and sorted: the slice, the count, the sortable headers and the
 * page links, all keeping `filters` (the route's own, already validated query values).
 */
export function listPage<R>(
  spec: ListSpec<R>,
  sorted: readonly R[],
  query: ListQuery,
  filters: Record<string, string> = {},
): ListPage<R> {
  const total = sorted.length;
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const start = (page - 1) * LIST_PAGE_SIZE;
  const rows = sorted.slice(start, start + LIST_PAGE_SIZE);
  const isDefault = query.sort === spec.defaultSort.sort && query.dir === spec.defaultSort.dir;
  const sortParams: Record<string, string> = isDefault ? {} : { sort: query.sort, dir: query.dir };
  const withSort = { ...filters, ...sortParams };
  const href = (p: number) => hrefOf(spec.path, withSort, p > 1 ? { page: String(p) } : {});
  const head = spec.columns
    .filter((c) => !c.csvOnly)
    .map((c): ListHeader => {
      if (!c.sort) return { text: c.label, href: null, ariaSort: null, numeric: Boolean(c.numeric) };
      const current = c.key === query.sort;
      const nextDir: SortDirection = current && query.dir === 'asc' ? 'desc' : 'asc';
      return {
        text: c.label,
        href: hrefOf(spec.path, filters, { sort: c.key, dir: nextDir }),
        ariaSort: current ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none',
        numeric: Boolean(c.numeric),
      };
    });
  const noun = total === 1 ? spec.noun.one : spec.noun.many;
  const countText =
    total === 0
      ? `No ${spec.noun.many}`
      : pages === 1
        ? `${count.format(total)} ${noun}`
        : `Showing ${count.format(start + 1)} to ${count.format(start + rows.length)} of ${count.format(total)} ${noun}`;
  return {
    rows,
    total,
    page,
    pages,
    countText,
    head,
    pagination: {
      previous: page > 1 ? { href: href(page - 1) } : null,
      next: page < pages ? { href: href(page + 1) } : null,
      items: pages > 1 ? pageItems(page, pages, href) : [],
    },
    csvHref: hrefOf(spec.path, withSort, { format: 'csv' }),
    notices: query.notices,
    sortFields: Object.entries(sortParams).map(([name, value]) => ({ name, value })),
  };
}

/** Every row the filters selected, in the order shown, as the list's CSV download (csvExport). */
export function sendListCsv<R>(res: Response, spec: ListSpec<R>, sorted: readonly R[]): void {
  const columns = spec.columns.filter((c) => !c.tableOnly);
  sendCsv(
    res,
    spec.csvFile,
    toCsv(
      columns.map((c) => c.label),
      sorted.map((r) => columns.map((c) => c.csv(r))),
    ),
  );
}
