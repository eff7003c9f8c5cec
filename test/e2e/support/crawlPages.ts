import type { Page, Response } from 'playwright-core';

const MAX_PAGES = 400;
/** Pages of one kind (same route, different record) look alike: a few of each cover the template. */
const PER_PATTERN = 3;

/** `/premises/3f2a…/edit?x=1` → `/premises/:id/edit`: ids (uuids, numbers) and the query set aside. */
export function patternOf(path: string): string {
  return (path.split('?')[0] ?? '')
    .split('/')
    .map((seg) => (/^[0-9a-f]{8}-[0-9a-f-]{27,}$/i.test(seg) || /^\d+$/.test(seg) ? ':id' : seg))
    .join('/');
}
const DOWNLOAD = /\.(ics|csv|pdf|json|zip|eml|xlsx?)$/i;

/** Links worth following: same origin, GET pages, not sign-out, the API, assets or downloads. */
function followable(href: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const path = url.pathname;
  if (path === '/logout' || path.startsWith('/api/') || path.startsWith('/assets/')) return null;
  if (DOWNLOAD.test(path) || /\/(download|export)(\/|$)/.test(path)) return null;
  url.hash = '';
  return url.pathname + url.search;
}

export interface CrawlResult {
  pages: string[];
  problems: string[];
  capped: boolean;
}

/**
 * Breadth first from `/`: every page reachable through links (a few of each route), each handed to
 * `check`, which returns the problems it found there. Pages that are not HTML are problems themselves.
 */
export async function crawlPages(
  page: Page,
  origin: string,
  check: (path: string, response: Response | null) => Promise<string[]>,
): Promise<CrawlResult> {
  const seen = new Set<string>(['/']);
  const perPattern = new Map<string, number>([['/', 1]]);
  const queue = ['/'];
  const pages: string[] = [];
  const problems: string[] = [];
  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const path = queue.shift();
    if (path === undefined) break;
    const response = await page.goto(path);
    pages.push(path);
    const status = response?.status() ?? 0;
    const type = response?.headers()['content-type'] ?? '';
    if (!type.startsWith('text/html')) {
      problems.push(`${path}: answered ${status} ${type || 'with no content type'}, not an HTML page`);
      continue;
    }
    problems.push(...(await check(path, response)));
    const hrefs = await page.$$eval('a[href]:not([download])', (as) =>
      as.map((a) => (a as HTMLAnchorElement).href),
    );
    for (const href of hrefs) {
      const next = followable(href, origin);
      if (!next || seen.has(next)) continue;
      seen.add(next);
      const pattern = patternOf(next);
      const count = perPattern.get(pattern) ?? 0;
      if (count >= PER_PATTERN) continue;
      perPattern.set(pattern, count + 1);
      queue.push(next);
    }
  }
  return { pages, problems, capped: queue.length > 0 };
}

export { MAX_PAGES };
