import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { flagLabel } from '../../../checks/labels.js';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

interface ApiFlag {
  rule: string;
  dueOn: string | null;
  message: string;
  severity: (typeof SEVERITIES)[number];
  subject: { type: string; name: string };
}

/** The counts shown at the top of the dashboard, by severity. */
async function shownCounts(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of SEVERITIES) out[s] = Number(await page.locator(`#count-${s}`).innerText());
  return out;
}

/** The same flags as JSON, through the signed-in session: what the dashboard should be counting. */
async function apiFlags(page: Page): Promise<ApiFlag[]> {
  const res = await page.request.get('/api/flags');
  expect(res.status()).to.equal(200);
  return (await res.json()) as ApiFlag[];
}

function countBySeverity(flags: ApiFlag[]): Record<string, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, flags.filter((f) => f.severity === s).length]));
}

/** Captions of the flag tables shown, e.g. ["High (3)", "Medium (2)"]. */
const tableCaptions = (page: Page) => page.locator('table caption').allInnerTexts();

describe('Journey: the coordinator reads the dashboard and adds a user; a viewer reads the dashboard', () => {
  const e2e = useE2e();

  it('when the coordinator opens the dashboard, then the counts by severity match the flags and filters narrow the list', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    expect(await page.locator('h1').innerText()).to.equal('Dashboard');
    await checkA11y(page, 'coordinator dashboard');

    const flags = await apiFlags(page);
    expect(flags.length).to.be.greaterThan(0);
    const expected = countBySeverity(flags);
    expect(await shownCounts(page)).to.deep.equal(expected);
    expect(await page.locator('main p').first().innerText()).to.include(
      `${flags.length} ${flags.length === 1 ? 'item' : 'items'}`,
    );

    // Severity filter: only that group is listed, with every flag of that severity.
    const severity = SEVERITIES.find((s) => expected[s] > 0)!;
    const label = severity[0].toUpperCase() + severity.slice(1);
    await page.getByLabel('Severity').selectOption(severity);
    await waitForPage(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(new URL(page.url()).searchParams.get('severity')).to.equal(severity);
    expect(await tableCaptions(page)).to.deep.equal([`${label} (${expected[severity]})`]);
    expect(await page.locator('table tbody tr').count()).to.equal(Math.min(expected[severity], 50));
    expect(await page.getByLabel('Severity').inputValue()).to.equal(severity);
    // The counts at the top still show the whole picture.
    expect(await shownCounts(page)).to.deep.equal(expected);
    await checkA11y(page, 'dashboard filtered by severity');

    // Rule filter, with severity back to all: every row shown is that rule.
    const rule = flags[0].rule;
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Rule').selectOption(rule);
    await waitForPage(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    const rules = await page.locator('table tbody tr td:nth-child(2)').allInnerTexts();
    expect(rules.length).to.equal(Math.min(flags.filter((f) => f.rule === rule).length, 50));
    // The rule by its plain label, never its code (SPEC §17).
    const labels = new Set(
      flags.filter((f) => f.rule === rule).map((f) => flagLabel(f as Parameters<typeof flagLabel>[0])),
    );
    expect(new Set(rules.map((r) => r.trim()))).to.deep.equal(labels);
    expect(labels.has(rule)).to.equal(false);
    await checkA11y(page, 'dashboard filtered by rule');
  });

  it('when the coordinator adds a user without a mail server, then the invitation link is shown once and lets the new user choose a password', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'Users');
    expect(await page.locator('h1').innerText()).to.equal('Users');
    await checkA11y(page, 'users list');
    await waitForPage(page, () => page.getByRole('button', { name: 'Add a user' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Add a user');
    await checkA11y(page, 'add a user form');

    // Sent empty: each problem is listed, focus goes to the summary.
    await waitForPage(page, () => page.getByRole('button', { name: 'Add user' }).click());
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Enter a name',
      'Enter an email address',
      'Select a role',
    ]);
    await checkA11y(page, 'add a user form with errors');

    await page.getByLabel('Full name').fill('Priya Partner');
    await page.getByLabel('Email address').fill('priya.partner@northbrook.test');
    await page.getByRole('group', { name: 'Role' }).getByLabel('Viewer').check();
    await waitForPage(page, () => page.getByRole('button', { name: 'Add user' }).click());

    expect(new URL(page.url()).pathname).to.equal('/users');
    const shown = page.locator('#invitation-link');
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'priya.partner@northbrook.test',
    );
    const link = new URL((await shown.innerText()).trim());
    expect(link.pathname).to.match(/^\/invitation\/[\w-]{43}$/);
    const row = page.locator('tbody tr', { hasText: 'priya.partner@northbrook.test' });
    expect(await row.innerText()).to.include('Priya Partner');
    expect(await row.innerText()).to.include('Viewer');
    expect(await row.innerText()).to.include('Invited');
    await checkA11y(page, 'users list with an invitation link');

    // Shown once only.
    await page.reload();
    expect(await page.locator('#invitation-link').count()).to.equal(0);

    // The new user opens it in their own browser and chooses their password.
    const theirs = await e2e.newPage();
    await theirs.goto(link.pathname);
    expect(await theirs.locator('h1').innerText()).to.equal('Choose your password');
    await checkA11y(theirs, 'choose your password');
    await theirs.getByLabel('Password', { exact: true }).fill('short');
    await theirs.getByLabel('Confirm password').fill('short');
    await waitForPage(theirs, () => theirs.getByRole('button', { name: 'Set password and sign in' }).click());
    expect(await theirs.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Password must be at least 12 characters',
    ]);
    await checkA11y(theirs, 'choose your password with errors');
    await theirs.getByLabel('Password', { exact: true }).fill('partner board papers 2026');
    await theirs.getByLabel('Confirm password').fill('partner board papers 2026');
    await waitForPage(theirs, () => theirs.getByRole('button', { name: 'Set password and sign in' }).click());
    expect(await theirs.locator('h1').innerText()).to.equal('Dashboard');
    expect(await theirs.locator('.govuk-service-navigation').innerText()).to.include('Priya Partner');

    // The link worked once.
    const again = await theirs.goto(link.pathname);
    expect(again?.status()).to.equal(404);
  });

  it('when a viewer opens the dashboard, then they read the same counts, their menu holds what they may read (dashboard, Compliance: report and plan, Training) and no flag links to a staff page', async () => {
    const coordinator = await e2e.newPage();
    await signIn(coordinator, demoEmails.coordinator);
    const all = countBySeverity(await apiFlags(coordinator));

    const page = await e2e.newPage();
    await signIn(page, demoEmails.viewer);
    expect(await page.locator('h1').innerText()).to.equal('Dashboard');
    expect(await shownCounts(page)).to.deep.equal(all);
    expect(await page.locator('.govuk-service-navigation__link').allInnerTexts()).to.deep.equal([
      'Dashboard',
      'Compliance',
      'Training',
      'Sign out',
    ]);
    expect(await page.locator('table').count()).to.be.greaterThan(0);
    // Viewers may open only the read-only training counts; no premises, booking, library, school or review page.
    for (const href of await page
      .locator('table a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
      expect(href).to.match(/^\/training\/departments\//);
    }
    await checkA11y(page, 'viewer dashboard');

    await page.getByLabel('Severity').selectOption('high');
    await waitForPage(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await tableCaptions(page)).to.deep.equal(all.high > 0 ? [`High (${all.high})`] : []);
    await checkA11y(page, 'viewer dashboard filtered');

    // A staff page typed in directly is refused with a page that says why.
    const res = await page.goto('/premises');
    expect(res?.status()).to.equal(403);
    expect(await page.locator('h1').innerText()).to.equal('You do not have access to this page');
    await checkA11y(page, 'forbidden page');
  });
});
