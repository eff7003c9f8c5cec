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
import { type CrawlResult, crawlFrom } from './support/crawl.js';

const MAX_PAGES = 400;
/** Pages of one kind (same route, different record) look alike: a few of each cover the template. */
const PER_PATTERN = 3;

/** Breadth first from `/`: every page reachable through links, each checked by axe. */
async function crawl(page: Page, origin: string, label: string): Promise<CrawlResult> {
  const scriptErrors: string[] = [];
  page.on('pageerror', (err) => scriptErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') scriptErrors.push(msg.text());
  });
  return crawlFrom(page, origin, {
    maxPages: MAX_PAGES,
    perPattern: PER_PATTERN,
    async visit(path, status, type) {
      const problems: string[] = [];
      if (!type.startsWith('text/html')) {
        problems.push(`${path}: answered ${status} ${type || 'with no content type'}, not an HTML page`);
        scriptErrors.length = 0;
        return problems;
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
      scriptErrors.length = 0;
      return problems;
    },
  });
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
