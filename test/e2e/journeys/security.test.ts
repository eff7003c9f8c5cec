import { expect } from 'chai';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

describe('Journey: API tokens, the audit log, and signing out everywhere', () => {
  const e2e = useE2e();

  it('when a coordinator creates an API token, then it is shown once, works for a script, and stops working once revoked', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'API tokens');
    expect(await page.locator('h1').innerText()).to.equal('API tokens');
    await checkA11y(page, 'API tokens');

    await waitForPage(page, () => page.getByRole('button', { name: 'Create token' }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Enter a name for the token',
    ]);
    await checkA11y(page, 'API tokens with an error');

    await page.getByLabel('Name of the new token').fill('Board spreadsheet');
    await waitForPage(page, () => page.getByRole('button', { name: 'Create token' }).click());
    const token = (await page.locator('#new-api-token').innerText()).trim();
    expect(token).to.match(/^dr_/);
    await checkA11y(page, 'API tokens showing a new token');

    const read = () => fetch(`${e2e.baseUrl}/api/flags`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await read()).status).to.equal(200);
    await page.reload();
    expect(await page.locator('#new-api-token').count()).to.equal(0);

    await waitForPage(page, () => page.getByRole('button', { name: 'Revoke Board spreadsheet' }).click());
    expect(await page.locator('tbody').innerText()).to.include('Revoked');
    expect((await read()).status).to.equal(401);
  });

  it('when a coordinator searches the audit log with a wrong date range, then the error is explained; a good search lists entries', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'Audit log');
    expect(await page.locator('h1').innerText()).to.equal('Audit log');
    await checkA11y(page, 'audit log');

    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('Day').fill('20');
    await from.getByLabel('Month').fill('3');
    await from.getByLabel('Year').fill('2026');
    const to = page.getByRole('group', { name: 'To' });
    await to.getByLabel('Day').fill('1');
    await to.getByLabel('Month').fill('3');
    await to.getByLabel('Year').fill('2026');
    await waitForPage(page, () => page.getByRole('button', { name: 'Search' }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'The to date must be the same as or after the from date',
    ]);
    await checkA11y(page, 'audit log with an error');

    await page.goto('/audit?who=demo');
    expect(await page.locator('tbody tr').count()).to.be.greaterThan(0);
    expect(await page.getByRole('link', { name: /Download these entries as CSV/ }).count()).to.equal(1);
  });

  it('when someone signs out everywhere from their account page, then their other browser is signed out too', async () => {
    const laptop = await e2e.newPage();
    const phone = await e2e.newPage();
    await signIn(laptop, demoEmails.facilities);
    await signIn(phone, demoEmails.facilities);
    await waitForPage(laptop, () => laptop.getByRole('link', { name: /Fran Facilities/ }).click());
    expect(await laptop.locator('h1').innerText()).to.equal('Your account');
    await checkA11y(laptop, 'your account');
    await waitForPage(laptop, () => laptop.getByRole('button', { name: 'Sign out everywhere' }).click());
    expect(new URL(laptop.url()).pathname).to.equal('/login');
    expect(await laptop.locator('.govuk-notification-banner').innerText()).to.include(
      'You were signed out on every device',
    );
    await checkA11y(laptop, 'signed out everywhere');
    await phone.goto('/premises');
    expect(new URL(phone.url()).pathname).to.equal('/login');
  });
});
