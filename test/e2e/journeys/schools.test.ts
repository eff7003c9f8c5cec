import { expect } from 'chai';
import { londonDate } from '../../../checks/londonDates.js';
import {
  checkA11y,
  chooseRadio,
  demoEmails,
  signIn,
  useE2e,
  waitForPage,
  openFromNavigation,
} from '../support/e2e.js';

describe('Journey: the education team keeps a school’s Prevent lead and training', () => {
  const e2e = useE2e();

  it('when a lead and their training are added, then the school’s SPOC flags clear', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.education);
    await openFromNavigation(page, 'Schools');
    await checkA11y(page, 'schools list');
    await waitForPage(page, () => page.getByRole('link', { name: 'Riverside High School' }).click());
    await checkA11y(page, 'school page without a lead');
    expect(await page.locator('main').innerText()).to.include('No current Prevent lead');

    await waitForPage(page, () => page.getByRole('button', { name: 'Add a Prevent lead' }).click());
    await waitForPage(page, () =>
      page
        .getByRole('button', { name: /Save|Add/ })
        .first()
        .click(),
    );
    await checkA11y(page, 'lead form with errors');
    expect(await page.locator('.govuk-error-summary').innerText()).to.match(/name/i);
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null),
    ).to.equal(true);

    const today = londonDate(new Date());
    await page.getByLabel('Full name').fill('Morgan Reyes');
    await chooseRadio(page, 'role', 'dsl');
    await page.getByLabel('Email address').fill('m.reyes@riverside.example.sch.uk');
    const confirmed = page.locator('#contactConfirmedOn-day');
    await confirmed.fill(String(Number(today.slice(8, 10))));
    await page.locator('#contactConfirmedOn-month').fill(String(Number(today.slice(5, 7))));
    await page.locator('#contactConfirmedOn-year').fill(today.slice(0, 4));
    await waitForPage(page, () =>
      page
        .getByRole('button', { name: /Save|Add/ })
        .first()
        .click(),
    );
    // GOV.UK add to a list: the leads so far, and whether to add another.
    expect(await page.locator('h1').innerText()).to.equal('You have added 1 Prevent lead');
    await checkA11y(page, 'leads added so far');
    await chooseRadio(page, 'another', 'no');
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    await checkA11y(page, 'school page with a lead');
    const afterLead = await page.locator('main').innerText();
    expect(afterLead).to.include('Morgan Reyes');
    expect(afterLead).to.not.include('No current Prevent lead');
    expect(afterLead).to.include('has no Prevent training on record');

    await waitForPage(page, () =>
      page
        .getByRole('link', { name: /Add training/ })
        .first()
        .click(),
    );
    await checkA11y(page, 'training form');
    await chooseRadio(page, 'type', 'prevent-awareness-elearning');
    await page.locator('#completedOn-day').fill(String(Number(today.slice(8, 10))));
    await page.locator('#completedOn-month').fill(String(Number(today.slice(5, 7))));
    await page.locator('#completedOn-year').fill(today.slice(0, 4));
    await waitForPage(page, () =>
      page
        .getByRole('button', { name: /Save|Add/ })
        .first()
        .click(),
    );
    await checkA11y(page, 'school page with a trained lead');
    const afterTraining = await page.locator('main').innerText();
    expect(afterTraining).to.not.include('has no Prevent training on record');
    expect(afterTraining).to.not.include('No current Prevent lead');
  });
});
