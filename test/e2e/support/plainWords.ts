import type { Page } from 'playwright-core';
import { ruleCodes, ruleLabels } from '../../../checks/labels.js';

/**
 * SPEC §17's plain-words check, shared by the plain-words crawl (1280 px) and the layout crawl (375 px and
 * 1280 px): visible text that holds a rule code, a record id (UUID) or a JSON brace.
 */
/** Codes that are English as they stand ("non-compliant" is the label "Non-compliant") are words, not codes. */
const codesNotWords = ruleCodes.filter((code) => ruleLabels[code].toLowerCase() !== code);

const PATTERNS: { what: string; source: string; flags: string }[] = [
  { what: 'a rule code', source: `(?<![\\w-])(?:${codesNotWords.join('|')})(?![\\w-])`, flags: '' },
  { what: 'a record id', source: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', flags: 'i' },
  { what: 'a JSON brace', source: '[{}]', flags: '' },
];

/** The visible text of the page that matches a pattern, as "what: …text…" (in the page, by the browser). */
export function codesShown(page: Page): Promise<string[]> {
  return page.evaluate((patterns) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const parent = node.parentElement;
      if (!text.trim() || !parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
      if (!parent.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      // Text inside a closed <details> is not shown until it is opened.
      if (parent.closest('details:not([open]) > :not(summary)')) continue;
      for (const p of patterns) {
        const m = new RegExp(p.source, p.flags).exec(text);
        if (m) found.push(`${p.what}: “${text.trim().slice(Math.max(0, m.index - 40), m.index + 60)}”`);
      }
    }
    return found;
  }, PATTERNS);
}
