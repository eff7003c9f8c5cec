/** Layout checks for the browser tests (layout.test.ts): sideways overflow, and axe's one allowed exclusion. */
import type { Page } from 'playwright-core';
import type { AxeViolation } from './e2e.js';

/**
 * The one exclusion allowed: GOV.UK Frontend's conditional reveal sets `aria-expanded` on a radio or
 * checkbox that shows a hidden panel, which axe's aria-allowed-attr rule does not expect on those roles.
 * Only those nodes are set aside; any other node of that rule, and every other rule, still fails.
 */
export function withoutConditionalReveal(violations: readonly AxeViolation[]): AxeViolation[] {
  const reveal = (html: string) =>
    /^<input[^>]*class="govuk-(radios|checkboxes)__input"/.test(html) &&
    /aria-expanded=/.test(html) &&
    /aria-controls="conditional-/.test(html);
  return violations
    .map((v) => (v.id === 'aria-allowed-attr' ? { ...v, nodes: v.nodes.filter((n) => !reveal(n.html)) } : v))
    .filter((v) => v.nodes.length > 0);
}

/** The page's width against the viewport's, and the widest elements sticking out past it. */
export async function overflow(page: Page, width: number): Promise<string | null> {
  return page.evaluate((viewport) => {
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= viewport) return null;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.right <= viewport + 0.5 || r.width === 0) continue;
      if (el.closest('.app-table-scroll') && !el.classList.contains('app-table-scroll')) continue;
      const parent = el.parentElement?.getBoundingClientRect();
      if (parent && parent.right > viewport + 0.5) continue; // name the outermost only
      culprits.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(r.right)} px`);
      if (culprits.length >= 5) break;
    }
    return `${scrollWidth} px wide at ${viewport} px: ${culprits.join('; ') || 'no single element found'}`;
  }, width);
}
