import { str } from '../forms/formHelpers.js';

/** Rows a page shows (issue 21: "page (50)"). */
export const LIST_PAGE_SIZE = 50;
/** The highest page number read from a query string; anything longer is not a page number. */
const MAX_PAGE_DIGITS = 6;

export type SortDirection = 'asc' | 'desc';

/** What a list's query string asks for: the column to sort by and which way, the page, or the CSV file. */
export interface ListQuery {
  sort: string;
  dir: SortDirection;
  page: number;
  /** `?format=csv`: every row the filters select, in the same order, as a CSV download. */
  csv: boolean;
  /** Plain words for a query value that could not be used (the list falls back to its default). */
  notices: string[];
}

/**
 * Reads `sort`, `dir`, `page` and `format` for a list whose sortable columns are `keys`. Bounded and
 * forgiving: an unknown column, direction or page number is replaced by the default and named in
 * `notices`, never a 500 (a page past the end is clamped later, when the count is known).
 */
export function readListQuery(
  query: unknown,
  keys: readonly string[],
  fallback: { sort: string; dir: SortDirection },
): ListQuery {
  const q = query as Record<string, unknown> | undefined;
  const notices: string[] = [];
  const rawSort = str(q, 'sort');
  let sort = fallback.sort;
  let dir = fallback.dir;
  if (rawSort) {
    if (keys.includes(rawSort)) {
      sort = rawSort;
      dir = 'asc';
    } else notices.push('The list cannot be sorted that way, so it is shown in its usual order.');
  }
  const rawDir = str(q, 'dir');
  if (rawDir === 'asc' || rawDir === 'desc') dir = rawDir;
  else if (rawDir) notices.push('The sort order was not recognised, so the usual order is used.');
  const rawPage = str(q, 'page');
  let page = 1;
  if (rawPage) {
    if (rawPage.length <= MAX_PAGE_DIGITS && /^\d+$/.test(rawPage) && Number(rawPage) >= 1)
      page = Number(rawPage);
    else notices.push('That page number was not recognised, so the first page is shown.');
  }
  return { sort, dir, page, csv: str(q, 'format') === 'csv', notices };
}

/** The longest words a list's search box takes (a name's limit); longer is not searched for. */
export const FILTER_TEXT_MAX = 200;

/**
 * A list's free-text filter from the query string: trimmed, and bounded (longer than
 * `FILTER_TEXT_MAX` → not used, with a notice), so no request makes the list compare huge strings.
 */
export function filterText(query: unknown, name: string, notices: string[]): string {
  const value = str(query as Record<string, unknown> | undefined, name);
  if (value.length <= FILTER_TEXT_MAX) return value;
  notices.push(`The search words were longer than ${FILTER_TEXT_MAX} characters, so they were not used.`);
  return '';
}
