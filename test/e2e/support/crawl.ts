/**
 * Following every link from `/` as a signed-in user (crawl.test.ts, layout.test.ts): breadth first, same
 * origin, GET pages only (not sign-out, the API, assets or downloads), a few pages of each kind.
 */
import type { Page } from 'playwright-core';

/** `/premises/3f2a…/edit?x=1` → `/premises/:id/edit`: ids (uuids, numbers) and the query set aside. */
export function patternOf(path: string): string {
  return (path.split('?')[0] ?? '')
    .split('/')
    .map((seg) => (/^[0-9a-f]{8}-[0-9a-f-]{27,}$/i.test(seg) || /^\d+$/.test(seg) ? ':id' : seg))
    .join('/');
}

const DOWNLOAD = /\.(ics|csv|pdf|json|zip|eml|xlsx?)$/i;

/** Links worth following: same origin, GET pages, not sign-out, the API, assets or downloads. */
export function followable(href: string, origin: string): string | null {
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
  if (url.searchParams.get('format') === 'csv') return null;
  url.hash = '';
  return url.pathname + url.search;
}

export interface CrawlOptions {
  maxPages: number;
  /** Pages of one kind (same route, different record) look alike: a few of each cover the template. */
  perPattern: number;
  /** Checks the page just loaded (status and content type given); returns the problems found. */
  visit(path: string, status: number, contentType: string): Promise<string[]>;
}

export interface CrawlResult {
  pages: string[];
  problems: string[];
  capped: boolean;
}

/** Breadth first from `/`: every page reachable through links, each checked by `visit`. */
export async function crawlFrom(page: Page, origin: string, options: CrawlOptions): Promise<CrawlResult> {
  const seen = new Set<string>(['/']);
  const perPattern = new Map<string, number>([['/', 1]]);
  const queue = ['/'];
  const pages: string[] = [];
  const problems: string[] = [];
  while (pages.length < options.maxPages) {
    const path = queue.shift();
    if (path === undefined) break;
    const response = await page.goto(path);
    pages.push(path);
    const status = response?.status() ?? 0;
    const type = response?.headers()['content-type'] ?? '';
    problems.push(...(await options.visit(path, status, type)));
    if (!type.startsWith('text/html')) continue;
    const hrefs = await page.$$eval('a[href]:not([download])', (as) =>
      as.map((a) => (a as HTMLAnchorElement).href),
    );
    for (const href of hrefs) {
      const next = followable(href, origin);
      if (!next || seen.has(next)) continue;
      seen.add(next);
      const pattern = patternOf(next);
      const count = perPattern.get(pattern) ?? 0;
      if (count >= options.perPattern) continue;
      perPattern.set(pattern, count + 1);
      queue.push(next);
    }
  }
  return { pages, problems, capped: queue.length > 0 };
}
