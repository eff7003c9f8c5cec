/**
 * The browser harness for `npm run test:e2e`: the real server (a child process on a fresh demo borough)
 * and Debian's Chromium driven by playwright-core, with axe-core checking every page for WCAG 2.2 AA.
 *
 * Running: `npm run test:e2e` (all of it), or `npm run test:e2e -- --grep "Journey: schools"` for one
 * describe (only suites with a matching test start a server). It needs Chromium at /usr/bin/chromium
 * (`apt-get install chromium`; CI installs the same package) or CHROMIUM_PATH; no browser is downloaded.
 *
 * ## Adding a journey for your area
 *
 * 1. Make a file `test/e2e/journeys/<area>.test.ts` (any `test/e2e/**\/*.test.ts` is picked up).
 * 2. In a `describe`, call `useE2e()` once. It starts a server with its own demo database and a browser
 *    before the tests and stops both after, so your journeys cannot disturb anyone else's (within the
 *    file, tests share one database and run in order).
 * 3. In each test, `const page = await e2e.newPage()` (a fresh browser context: its own cookies, so two
 *    pages can be two users), `await signIn(page, 'education@demo.test')`, then act as the user would:
 *    follow links and press buttons by their visible names (`page.getByRole('link', { name: 'Schools' })`)
 *    rather than typing URLs, and wrap anything that loads a new page in `await waitForPage(page, () => …)`.
 * 4. Assert what the user sees (headings, tags, summary lists, error messages) with chai, and call
 *    `await checkA11y(page, 'what this page is')` on every page and state you visit (including each error
 *    state). It fails on any axe violation (WCAG 2.2 AA, no rule disabled) or a page without exactly one
 *    <h1>, and lists them readably.
 * 5. Name tests "when …, then …". Keyboard helpers: `tabTo(page, selector)`, `chooseRadio(page, name, value)`.
 *
 * ```ts
 * import { expect } from 'chai';
 * import { checkA11y, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';
 *
 * describe('Journey: schools', () => {
 *   const e2e = useE2e();
 *   it('when the education team opens a school, then they see its Prevent leads', async () => {
 *     const page = await e2e.newPage();
 *     await signIn(page, 'education@demo.test');
 *     await openFromNavigation(page, 'Schools');
 *     await checkA11y(page, 'schools list');
 *     expect(await page.locator('h1').innerText()).to.equal('Schools');
 *   });
 * });
 * ```
 *
 * The demo borough is built for today's real date, so work expected dates out with checks/londonDates.js
 * (`londonDate(new Date())`, `addMonths`, `formatDate`) rather than writing them in. `demoEmails` names
 * the five demo accounts.
 *
 * The crawl (`crawl.test.ts`) already visits every page linked from `/` for each demo role (GET links
 * only; not /logout, /api/, assets or downloads; at most 150 pages a role), so a new page is checked by
 * axe as soon as something links to it and your demo records (data/demo) exist. It also fails on a link
 * that answers 4xx/5xx for that role (do not show links a role may not follow) and on browser console
 * errors such as CSP-blocked scripts. Journeys add the states a crawl cannot reach: forms with errors,
 * pages after a POST, keyboard use. When a test fails, a screenshot and the HTML of each open page, and
 * the server's output, are saved under `test-results/` (git ignores it) and their paths printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { navGroups } from '../../../server/navigation.js';
import { type E2eServer, projectRoot, startE2eServer } from './e2eServer.js';

export const DEMO_PASSWORD = 'DueRegard-demo-1';
export const demoEmails = {
  coordinator: 'coordinator@demo.test',
  facilities: 'facilities@demo.test',
  libraryManager: 'libraries@demo.test',
  education: 'education@demo.test',
  viewer: 'viewer@demo.test',
} as const;

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA; no rule is disabled. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const resultsDir = join(projectRoot, 'test-results');

/** Debian's Chromium (CI installs the same package); a browser is never downloaded. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export interface E2e {
  readonly baseUrl: string;
  readonly server: E2eServer;
  readonly browser: Browser;
  /** A page in a new browser context (own cookies) with the server as its base URL. */
  newPage(): Promise<Page>;
}

/**
 * Call once inside a `describe`: starts the server and the browser before its tests, stops them after,
 * closes each test's pages after it, and saves evidence when a test fails.
 */
export function useE2e(
  serverOptions: Parameters<typeof startE2eServer>[0] | (() => Parameters<typeof startE2eServer>[0]) = {},
): E2e {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(120_000);
    const options = typeof serverOptions === 'function' ? serverOptions() : serverOptions;
    [server, browser] = await Promise.all([startE2eServer(options), launchBrowser()]);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed') {
      const label = test.fullTitle();
      for (const ctx of contexts) {
        for (const page of ctx.pages()) await saveArtifacts(page, label);
      }
      if (server) {
        const file = uniquePath(label, 'server.log');
        writeFileSync(file, server.output());
        console.error(`    server output: ${file}`);
      }
    }
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    contexts = [];
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get baseUrl() {
      if (!server) throw new Error('useE2e(): the server is not started yet (use it inside a test)');
      return server.baseUrl;
    },
    get server() {
      if (!server) throw new Error('useE2e(): the server is not started yet (use it inside a test)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('useE2e(): the browser is not started yet (use it inside a test)');
      return browser;
    },
    async newPage() {
      if (!browser || !server) throw new Error('useE2e(): not started yet (use it inside a test)');
      const ctx = await browser.newContext({ baseURL: server.baseUrl });
      // Short enough that a missing element fails the test well within mocha's timeout.
      ctx.setDefaultTimeout(10_000);
      contexts.push(ctx);
      return ctx.newPage();
    },
  };
}

/** Runs `act` (a click, a key press) and waits until the page it starts has loaded. */
export async function waitForPage(page: Page, act: () => Promise<unknown>): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame(),
    timeout: 30_000,
  });
  await act();
  await navigated;
  await page.waitForLoadState('load');
}

/**
 * Opens one of the service's pages from the navigation as a person would: by its own link when the top
 * row or the current group's pages show it, else by its group's link first (server/navigation.ts).
 */
export async function openFromNavigation(page: Page, text: string): Promise<void> {
  const nav = page.locator('.govuk-service-navigation, .app-section-nav');
  const link = () => nav.getByRole('link', { name: text, exact: true }).first();
  if ((await nav.getByRole('link', { name: text, exact: true }).count()) === 0) {
    const group = navGroups.find((g) => g.pages.some((p) => p.text === text));
    if (!group) throw new Error(`No page called "${text}" in the navigation`);
    const top = page
      .locator('.govuk-service-navigation')
      .getByRole('link', { name: group.label, exact: true });
    await waitForPage(page, () => top.click());
  }
  await waitForPage(page, () => link().click());
}

/** Signs in through the sign-in page as a user would, and waits for the dashboard. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await waitForPage(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  const path = new URL(page.url()).pathname;
  if (path === '/login') {
    const problem = await page
      .locator('.govuk-error-summary')
      .innerText()
      .catch(() => '');
    throw new Error(`Sign-in as ${email} failed: ${problem || 'still on the sign-in page'}`);
  }
}

export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

/** Runs axe on the page as it is now, with the WCAG 2.2 AA tags. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Legacy mode runs axe.run() in the page itself instead of opening a blank page for every analysis to
  // merge per-frame results: about half the time per page. The only difference is that cross-origin
  // frames go untested, and the app has no frames (axe's frame-tested rule would report one).
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  return withoutConditionalReveal(results.violations as AxeViolation[]);
}

/**
 * The one allowed exclusion: GOV.UK Frontend's conditional reveal sets `aria-expanded` on a radio or
 * checkbox that controls a revealed panel, which axe's aria-allowed-attr rule reports. Only those nodes
 * are dropped (an input of a GOV.UK radios or checkboxes group whose aria-controls names a
 * `conditional-` panel, and whose only failure is aria-expanded); every other node and rule stands.
 */
export function withoutConditionalReveal(violations: AxeViolation[]): AxeViolation[] {
  const isReveal = (n: AxeViolation['nodes'][number]) =>
    /^<input class="govuk-(radios|checkboxes)__input"[^>]* aria-controls="conditional-[^"]+"[^>]* aria-expanded="(true|false)">$/.test(
      n.html,
    ) &&
    (n.failureSummary ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('Fix '))
      .every((l) => /^ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(l));
  return violations
    .map((v) => (v.id === 'aria-allowed-attr' ? { ...v, nodes: v.nodes.filter((n) => !isReveal(n)) } : v))
    .filter((v) => v.nodes.length > 0);
}

/** One readable block per violation: rule, impact, help link, and each offending element. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary ?? '')
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
            .map((line) => `        ${line}`)
            .join('\n');
          return `    at ${JSON.stringify(n.target)}\n      ${n.html.slice(0, 300)}\n${summary}`;
        })
        .join('\n');
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Asserts the page has no axe violations (WCAG 2.2 AA). On failure, saves a screenshot and the HTML
 * under test-results/ and throws an error listing every violation.
 */
export async function checkA11y(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  const heading = await headingProblem(page);
  if (violations.length === 0 && !heading) return;
  const files = await saveArtifacts(page, `axe ${label}`);
  throw new Error(
    `Accessibility problems on "${label}" (${page.url()}): ${violations.length} axe violation(s)` +
      `${heading ? ', and the heading rule is broken' : ''}\n` +
      [formatViolations(violations), heading ? `  ${heading}` : ''].filter(Boolean).join('\n') +
      '\n' +
      `  screenshot: ${files.screenshot}\n  html: ${files.html}`,
  );
}

/** checkA11y at a desktop width (1280 px) and a phone width (375 px); the page is left at 1280 px. */
export async function checkA11yAtWidths(page: Page, label: string): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await checkA11y(page, `${label} at ${width} px`);
  }
}

/** The house rule axe's WCAG tags leave out: exactly one <h1> per page. */
export async function headingProblem(page: Page): Promise<string | null> {
  const h1s = await page.locator('h1').allInnerTexts();
  if (h1s.length === 1) return null;
  return `[house rule] one <h1> per page: found ${h1s.length}${h1s.length ? ` (${h1s.map((h) => JSON.stringify(h.trim())).join(', ')})` : ''}`;
}

const used = new Set<string>();

function uniquePath(label: string, suffix: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 100) || 'page';
  let name = `${slug}.${suffix}`;
  for (let i = 2; used.has(name); i++) name = `${slug}-${i}.${suffix}`;
  used.add(name);
  return join(resultsDir, name);
}

/** Saves a full-page screenshot and the page's current HTML under test-results/, and prints their paths. */
export async function saveArtifacts(
  page: Page,
  label: string,
): Promise<{ screenshot: string; html: string }> {
  const screenshot = uniquePath(label, 'png');
  const html = uniquePath(label, 'html');
  try {
    await page.screenshot({ path: screenshot, fullPage: true });
  } catch (err) {
    writeFileSync(`${screenshot}.txt`, `Screenshot failed: ${(err as Error).message}`);
  }
  try {
    writeFileSync(html, `<!-- ${page.url()} -->\n${await page.content()}`);
  } catch (err) {
    writeFileSync(html, `<!-- page.content() failed: ${(err as Error).message} -->`);
  }
  console.error(`    saved for "${label}":\n      ${screenshot}\n      ${html}`);
  return { screenshot, html };
}

/**
 * Keyboard only: presses Tab until the focused element matches `selector` (a radio group takes one Tab
 * stop). Throws if it is not reached within `max` presses.
 */
export async function tabTo(page: Page, selector: string, max = 300): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab did not reach ${selector} within ${max} presses`);
}

/**
 * Keyboard only: Tab into the radio group `name`, then Space to choose the focused radio and arrow keys
 * to move the choice, until `value` is checked.
 */
export async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, `input[type="radio"][name="${name}"]`);
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      return { value: el.value, checked: el.checked };
    });
  let state = await focused();
  if (!state.checked) {
    await page.keyboard.press('Space');
    state = await focused();
  }
  for (let i = 0; i < 10 && state.value !== value; i++) {
    await page.keyboard.press('ArrowRight');
    state = await focused();
  }
  if (state.value !== value || !state.checked)
    throw new Error(`Could not choose "${value}" in ${name} by keyboard`);
}
