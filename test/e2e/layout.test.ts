import { expect } from 'chai';
import { crawlPages } from './support/crawlPages.js';
import { overflow, withoutConditionalReveal } from './support/layout.js';
import { codesShown } from './support/plainWords.js';
import { axeViolations, demoEmails, formatViolations, saveArtifacts, signIn, useE2e } from './support/e2e.js';

/** A phone (SPEC §17: 375 px) and a laptop. */
const WIDTHS = [375, 1280] as const;
const MAX_PAGES = 250;

describe('Layout: every page fits a 375 px phone and a 1280 px screen, for each role, with no axe violations and plain words', () => {
  const e2e = useE2e();

  for (const [role, email] of Object.entries(demoEmails)) {
    it(`when ${role} opens every page at 375 px and at 1280 px, then nothing scrolls sideways, axe finds nothing and no code, id or JSON shows`, async function () {
      this.timeout(1_200_000);
      const page = await e2e.newPage();
      await signIn(page, email);
      const problems: string[] = [];
      const check = async (path: string, width: number) => {
        const found: string[] = [];
        const wide = await overflow(page, width);
        if (wide) found.push(`${path}: ${wide}`);
        const violations = withoutConditionalReveal(await axeViolations(page));
        if (violations.length > 0) found.push(`${path} at ${width} px:\n${formatViolations(violations)}`);
        // Plain words at both widths (the menu and stacked parts of a narrow page included).
        for (const shown of await codesShown(page)) found.push(`${path} at ${width} px: ${shown}`);
        if (found.length > 0) {
          const files = await saveArtifacts(page, `layout ${role} ${width} ${path}`);
          found.push(`  screenshot: ${files.screenshot}`);
        }
        return found;
      };
      const [narrow, wide] = WIDTHS;
      await page.setViewportSize({ width: narrow, height: 800 });
      const result = await crawlPages(
        page,
        new URL(e2e.baseUrl).origin,
        async (path, response) => [
          ...((response?.status() ?? 0) >= 400
            ? [`${path}: answered ${response?.status()} (a link this role may not follow)`]
            : []),
          ...(await check(path, narrow)),
        ],
        { maxPages: MAX_PAGES, perPattern: 1 },
      );
      await page.setViewportSize({ width: wide, height: 900 });
      for (const path of result.pages) {
        const res = await page.goto(path);
        if (res?.headers()['content-type']?.startsWith('text/html'))
          problems.push(...(await check(path, wide)));
      }
      problems.unshift(...result.problems);
      console.log(`      ${role}: ${result.pages.length} pages at ${narrow} px and ${wide} px`);
      expect(result.pages.length).to.be.greaterThan(1);
      expect(problems, `Layout problems as ${role}:\n${problems.join('\n')}`).to.be.empty;
    });
  }
});

describe('Layout: the conditional-reveal exclusion sets aside exactly those nodes', () => {
  const node = (html: string) => ({ target: ['x'], html });
  const reveal =
    '<input class="govuk-radios__input" id="a" name="a" type="radio" value="yes" aria-controls="conditional-a" aria-expanded="false">';
  it('when axe reports the reveal input and another node, then only the other node is kept', () => {
    const kept = withoutConditionalReveal([
      {
        id: 'aria-allowed-attr',
        help: '',
        helpUrl: '',
        nodes: [node(reveal), node('<div role="button" aria-checked="true">')],
      },
      { id: 'color-contrast', help: '', helpUrl: '', nodes: [node(reveal)] },
    ]);
    expect(kept.map((v) => [v.id, v.nodes.length])).to.deep.equal([
      ['aria-allowed-attr', 1],
      ['color-contrast', 1],
    ]);
  });
});
