import { expect } from 'chai';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

describe('Journey: decisions stay with the coordinator, and hostile input is refused plainly (SPEC §10)', () => {
  const e2e = useE2e();

  it('when a facilities officer tries to change a referred booking, then the page says why and offers nothing to change', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openFromNavigation(page, 'Bookings');
    await waitForPage(page, () => page.getByRole('link', { name: 'NB-H-1005' }).click());
    expect(await page.locator('main').innerText()).to.include('Only the coordinator can decide it.');
    expect(await page.getByRole('link', { name: /Change the booking/ }).count()).to.equal(0);
    expect(await page.getByRole('button', { name: /Start/ }).count()).to.equal(0);
    await checkA11y(page, 'referred booking seen by facilities');

    const bookingUrl = page.url();
    const refused = await page.goto(`${bookingUrl}/edit`);
    expect(refused?.status()).to.equal(403);
    expect(await page.locator('main').innerText()).to.include('Only the coordinator can decide it.');
    expect(await page.locator('main').innerText()).to.include('Nothing was changed.');
    await checkA11y(page, '403 page saying why');
  });

  it('when a name longer than a field allows is sent, then an error page names the field and its limit, and leads back to the form', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await page.goto('/bookings/new');
    await page.getByLabel('Name of the person booking').fill('N'.repeat(250));
    await waitForPage(page, () => page.getByRole('button', { name: 'Save booking' }).click());
    expect(await page.locator('.govuk-error-summary').innerText()).to.include(
      'Name of the person booking must be 200 characters or fewer',
    );
    await checkA11y(page, 'input too long');
    await waitForPage(page, () => page.getByRole('link', { name: 'Go back to the form' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Add a booking');
  });

  it('when the dashboard is asked for a date that does not exist, then a 400 page names the parameter', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.viewer);
    const res = await page.goto('/?as_of=2026-02-30');
    expect(res?.status()).to.equal(400);
    expect(await page.locator('main').innerText()).to.include('The as_of parameter must be a real date');
    await checkA11y(page, 'bad query date');
  });
});
