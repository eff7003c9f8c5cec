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
import { type CrawlResult, crawlPages, MAX_PAGES } from './support/crawlPages.js';

/** Each page: its status, axe, its headings and the browser console (errors since it was opened). */
async function crawl(page: Page, origin: string, label: string): Promise<CrawlResult> {
  const scriptErrors: string[] = [];
  page.on('pageerror', (err) => scriptErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') scriptErrors.push(msg.text());
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) scriptErrors.length = 0;
  });
  return crawlPages(page, origin, async (path, response) => {
    const problems: string[] = [];
    const status = response?.status() ?? 0;
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
    return problems;
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
