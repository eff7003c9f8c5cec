import { expect } from 'chai';
import {
  checkA11y,
  checkA11yAtWidths,
  demoEmails,
  openFromNavigation,
  signIn,
  useE2e,
  waitForPage,
} from '../support/e2e.js';

describe('Journey: signing in, and the pages for errors and clashing edits', () => {
  const e2e = useE2e();

  it('when an anonymous visitor opens a page and gets the password wrong, then the sign-in page keeps the email, focuses the error summary and then lets them in', async () => {
    const page = await e2e.newPage();
    await page.goto('/premises');
    expect(new URL(page.url()).pathname).to.equal('/login');
    expect(await page.locator('h1').innerText()).to.equal('Sign in to Due Regard');
    await checkA11y(page, 'sign-in page');

    await page.getByLabel('Email address').fill(demoEmails.facilities);
    await page.getByLabel('Password').fill('not-the-password');
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(await page.title()).to.equal('Error: Sign in — Due Regard');
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Enter a correct email address and password',
    ]);
    expect(await page.getByLabel('Email address').inputValue()).to.equal(demoEmails.facilities);
    expect(await page.getByLabel('Password').inputValue()).to.equal('');
    await checkA11y(page, 'sign-in page with an error');

    // The page they asked for is where they land.
    await page.getByLabel('Password').fill('DueRegard-demo-1');
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).to.equal('/premises');
    expect(await page.locator('h1').innerText()).to.equal('Premises');

    // Signing out ends the session.
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.goto('/');
    expect(new URL(page.url()).pathname).to.equal('/login');
  });

  it('when a signed-in user opens an address that does not exist, then the not-found page says so', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    const res = await page.goto('/premises/no-such-building');
    expect(res?.status()).to.equal(404);
    expect(await page.locator('h1').innerText()).to.equal('Page not found');
    await checkA11y(page, 'not-found page');
  });

  it('when two people change the same building and the second saves, then their change is refused on a page comparing both versions', async () => {
    const first = await e2e.newPage();
    const second = await e2e.newPage();
    await signIn(first, demoEmails.facilities);
    await signIn(second, demoEmails.coordinator);
    for (const page of [first, second]) {
      await openFromNavigation(page, 'Premises');
      await waitForPage(page, () =>
        page.getByRole('link', { name: 'Southmead Pavilion', exact: true }).click(),
      );
      await waitForPage(page, () =>
        page.getByRole('link', { name: 'Change details of Southmead Pavilion' }).click(),
      );
    }
    await checkA11y(first, 'change premises form');

    await first.getByLabel('Ward (optional)').fill('Southmead North');
    await waitForPage(first, () => first.getByRole('button', { name: 'Save' }).click());
    expect(await first.locator('.govuk-notification-banner').innerText()).to.include(
      'Southmead Pavilion was updated',
    );

    await second.getByLabel('Ward (optional)').fill('Southmead East');
    const saved = second.waitForResponse((r) => r.request().method() === 'POST');
    await waitForPage(second, () => second.getByRole('button', { name: 'Save' }).click());
    expect((await saved).status()).to.equal(409);
    expect(await second.locator('h1').innerText()).to.equal('This record changed since you opened it');
    // Only the field that differs, by its label, with both versions.
    const cards = second.locator('.govuk-summary-card');
    expect(await cards.count()).to.equal(1);
    expect(await cards.locator('.govuk-summary-card__title').innerText()).to.equal('Ward');
    expect(await cards.innerText()).to.include('Southmead East');
    expect(await cards.innerText()).to.include('Southmead North');
    await checkA11yAtWidths(second, 'conflict page');

    // Nothing of the second change was saved.
    await waitForPage(second, () => second.getByRole('button', { name: 'Reopen the record' }).click());
    expect(await second.getByLabel('Ward (optional)').inputValue()).to.equal('Southmead North');
  });
});
