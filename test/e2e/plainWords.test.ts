import { expect } from 'chai';
import { crawlPages, MAX_PAGES } from './support/crawlPages.js';
import { codesShown } from './support/plainWords.js';
import { demoEmails, saveArtifacts, signIn, useE2e } from './support/e2e.js';

/**
 * SPEC §17: pages speak the officer's language. Every page each role can reach, at 1280 px: no visible
 * text holds a rule code (any rule of the registry), a record id (UUID) or a JSON brace. Codes may stay
 * in HTML attributes (form values, links); text hidden until asked for (a coordinator's "entry as logged")
 * is not read.
 */
describe('Plain words: no rule codes, ids or JSON on any page, for each demo role (SPEC §17)', () => {
  const e2e = useE2e();

  for (const [role, email] of Object.entries(demoEmails)) {
    it(`when ${role} reads every page they can reach at 1280 px, then no visible text holds a code, an id or JSON`, async function () {
      this.timeout(900_000);
      const page = await e2e.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, email);
      const result = await crawlPages(page, new URL(e2e.baseUrl).origin, async (path) => {
        const shown = await codesShown(page);
        if (shown.length === 0) return [];
        const files = await saveArtifacts(page, `plain words ${role} ${path}`);
        return [`${path}:\n    ${shown.slice(0, 10).join('\n    ')}\n    screenshot: ${files.screenshot}`];
      });
      console.log(
        `      ${role}: ${result.pages.length} pages read${result.capped ? ` (capped at ${MAX_PAGES})` : ''}`,
      );
      expect(result.pages.length).to.be.greaterThan(1);
      expect(result.problems, `Codes shown to ${role}:\n${result.problems.join('\n')}`).to.deep.equal([]);
    });
  }
});
