import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  type AxeViolation,
  axeViolations,
  demoEmails,
  formatViolations,
  headingProblem,
  saveArtifacts,
  signIn,
  useE2e,
} from './support/e2e.js';

const MAX_PAGES = 400;
/** Pages of one kind (same route, different record) look alike: a few of each cover the template. */
const PER_PATTERN = 3;

/** `/premises/3f2a…/edit?x=1` → `/premises/:id/edit`: ids (uuids, numbers) and the query set aside. */
function patternOf(path: string): string {
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

interface CrawlResult {
  pages: string[];
  problems: string[];
  capped: boolean;
}

/** Breadth first from `/`: every page reachable through links, each checked by axe. */
async function crawl(page: Page, origin: string, label: string): Promise<CrawlResult> {
  const seen = new Set<string>(['/']);
  const perPattern = new Map<string, number>([['/', 1]]);
  const queue = ['/'];
  const pages: string[] = [];
  const problems: string[] = [];
  const scriptErrors: string[] = [];
  page.on('pageerror', (err) => scriptErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') scriptErrors.push(msg.text());
  });

  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const path = queue.shift()!;
    scriptErrors.length = 0;
    const response = await page.goto(path);
    pages.push(path);
    const status = response?.status() ?? 0;
    const type = response?.headers()['content-type'] ?? '';
    if (!type.startsWith('text/html')) {
      problems.push(`${path}: answered ${status} ${type || 'with no content type'}, not an HTML page`);
      continue;
    }
    if (status >= 400) problems.push(`${path}: answered ${status} (a broken link)`);
    const violations: AxeViolation[] = await axeViolations(page);
    if (violations.length > 0) {
      const files = await saveArtifacts(page, `crawl ${label} ${path}`);
      problems.push(
        `${path}: ${violations.length} accessibility violation(s)\n${formatViolations(violations)}\n  screenshot: ${files.screenshot}\n  html: ${files.html}`,
      );
    }
    const heading = await headingProblem(page);
    if (heading) problems.push(`${path}: ${heading}`);
    if (scriptErrors.length > 0)
      problems.push(`${path}: browser console errors: ${scriptErrors.join(' | ')}`);
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

describe('Crawl: every page reachable from the dashboard passes axe, for each demo role', () => {
  const e2e = useE2e();

  for (const [role, email] of Object.entries(demoEmails)) {
    it(`when ${role} follows every link from /, then each page loads and has no axe violations`, async function () {
      // Axe takes about half a second a page; the coordinator reaches every area.
      this.timeout(900_000);
      const page = await e2e.newPage();
      await signIn(page, email);
      const result = await crawl(page, new URL(e2e.baseUrl).origin, role);
      console.log(
        `      ${role}: ${result.pages.length} pages crawled${result.capped ? ` (capped at ${MAX_PAGES})` : ''}`,
      );
      expect(result.pages.length).to.be.greaterThan(1);
      expect(result.problems, `Problems found while crawling as ${role}:\n${result.problems.join('\n')}`).to
        .be.empty;
    });
  }
});
