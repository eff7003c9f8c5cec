import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

/** Opens an area from the service navigation, then a record by its link text. */
async function open(page: Page, area: string, name: string | RegExp): Promise<void> {
  await openFromNavigation(page, area);
  await waitForPage(page, () => page.locator('main').getByRole('link', { name }).first().click());
}

const main = (page: Page) => page.locator('main').innerText();

describe('Journey: what a board member or an inspector looks at first (issue 16)', () => {
  const e2e = useE2e();

  it('when the coordinator opens the board report, then Libraries and Schools show figures with last quarter beside them', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'Report');
    await checkA11y(page, 'board report with every area');
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'Compliance by area' }) });
    for (const area of ['Premises', 'Hall hire', 'Libraries', 'Schools']) {
      const row = await table.locator('tbody tr', { hasText: area }).first().innerText();
      expect(row, area).to.match(/\d+%/);
    }
    const libraries = await table.locator('tbody tr', { hasText: 'Libraries' }).innerText();
    expect(libraries).not.to.include('No data');
  });

  it('when a library manager records a test that found a self-harm forum unblocked, then the library and the dashboard show the failed test and its action', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.libraryManager);
    await open(page, 'Libraries', /Northbrook Central/);
    await waitForPage(page, () => page.getByRole('link', { name: /Record a filter test/ }).click());
    await checkA11y(page, 'filter test form');
    await page.getByLabel('Device or network tested').fill('Public PC 3');
    await page.locator('input[name="categoriesTried"][value="Self-harm"]').check();
    await page.locator('input[name="categoriesTried"][value="Extremism"]').check();
    await page.getByLabel('Something that should be blocked was not').check();
    await page.locator('input[name="categoriesNotBlocked"][value="Self-harm"]').check();
    await page.getByLabel('Notes').fill('A self-harm forum loaded; reported to the provider');
    await waitForPage(page, () => page.getByRole('button', { name: 'Record the test' }).click());

    const text = await main(page);
    expect(text).to.include('found Self-harm not blocked');
    expect(text).to.include('Get the filter to block Self-harm');
    expect(text).to.include('Self-harm got through');
    await checkA11y(page, 'library page with a failed filter test');

    await openFromNavigation(page, 'Dashboard');
    expect(await main(page)).to.include('found Self-harm not blocked');
    await checkA11y(page, 'dashboard with the failed filter test');
  });

  it('when a speaker of a booking approved with conditions is changed to a watch-list name, then its conditions sheet says it is not approved and shows no conditions', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openFromNavigation(page, 'Bookings');
    await waitForPage(page, () =>
      page.locator('tr', { hasText: 'Debate: free speech and the city' }).getByRole('link').first().click(),
    );
    const bookingUrl = page.url();
    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Print the conditions for on-site staff' }).click(),
    );
    const sheetUrl = page.url();
    expect(await page.locator('.app-conditions li').count()).to.equal(3);
    await checkA11y(page, 'conditions sheet');

    await page.goto(bookingUrl);
    await waitForPage(page, () => page.getByRole('link', { name: /Change the booking/ }).click());
    await page.locator('#speaker-1-name').fill('Jon Q. Exemplar');
    await page.locator('#speaker-1-aliases').fill('');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save booking' }).click());
    expect(await main(page)).to.include('Provisional');
    expect(await page.getByRole('link', { name: 'Print the conditions for on-site staff' }).count()).to.equal(
      0,
    );

    await page.goto(sheetUrl);
    expect(await page.locator('h1').innerText()).to.equal('This booking is not approved');
    const text = await main(page);
    expect(text).to.include('Provisional');
    expect(text).to.include('no longer stands: the names on the booking changed after it');
    expect(text).not.to.include('A council officer is present throughout the event.');
    expect(text).not.to.include('Decided on');
    await checkA11y(page, 'no conditions sheet for a provisional booking');
  });

  it('when an audit starts from the last one while its action is open, then P13 "yes" is shown as contradicted, "confirm all" is refused naming the action, and the answers of "no" are offered actions before the confirmation', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await open(page, 'Premises', 'Riverside Community Centre');
    await waitForPage(page, () => page.getByRole('button', { name: 'Start from last audit' }).click());
    expect(await page.locator('#due-reason').innerText()).to.match(
      /^Overdue since \d+ \w+ \d{4}: the last premises audit was on/,
    );
    const warning = page.locator('#question-P13 .govuk-warning-text');
    expect(await warning.innerText()).to.include(
      'The records say otherwise: From the last audit, “Book the Prevent venue-hire briefing for the centre’s volunteers” is still open (overdue since',
    );
    await checkA11y(page, 'audit with a contradicted carried-over answer');

    await page.locator('input[name="confirmAll"]').check();
    await waitForPage(page, () => page.locator('button[name="intent"][value="submit"]').click());
    const errors = await page.locator('.govuk-error-summary').innerText();
    expect(errors).to.include('P13: the answer carried over is “Yes”, but the records say otherwise');
    expect(errors).to.include('Book the Prevent venue-hire briefing for the centre’s volunteers');
    await checkA11y(page, 'audit refused for a contradicted answer');

    await page.locator('input[name="answer-P13"][value="no"]').check();
    await page.locator('input[name="confirmAll"]').check();
    await waitForPage(page, () => page.locator('button[name="intent"][value="submit"]').click());
    expect(await page.locator('h1').innerText()).to.equal('Raise actions for the answers of “no”');
    await checkA11y(page, 'actions offered for the answers of no');
    await page.getByLabel('Raise an action for P7').uncheck();
    await page.getByLabel('What needs to be done for P13').fill('Close the volunteers’ briefing action');
    await waitForPage(page, () => page.getByRole('button', { name: 'Raise these actions' }).click());
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'The review was submitted, and an action was raised',
    );
    expect(await main(page)).to.include('Close the volunteers’ briefing action');
    await checkA11y(page, 'submitted audit with the action raised');
  });

  it('when a school audit and a library attestation start, then the school’s lead and training come from its records and the library’s form says why it is due', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.education);
    await open(page, 'Schools', 'Hillcrest All-Through School');
    await waitForPage(page, () => page.getByRole('button', { name: 'Start from last year’s audit' }).click());
    expect(await page.locator('#recorded-S2').innerText()).to.match(
      /^From the records: No current Prevent lead has Prevent training in the last 2 years on record/,
    );
    expect(await page.locator('input[name="answer-S2"][value="no"]').isChecked()).to.equal(true);
    expect(await main(page)).to.include('Confirm this answer to S2 filled in from the records (No)');
    await checkA11y(page, 'school audit filled in from the records');

    const library = await e2e.newPage();
    await signIn(library, demoEmails.libraryManager);
    await open(library, 'Libraries', /Westfield/);
    await waitForPage(library, () =>
      library.getByRole('button', { name: 'Start from last year’s attestation' }).click(),
    );
    expect(await library.locator('#due-reason').innerText()).to.match(
      /^Due because the filtering provider changed from Northbrook ICT Shared Service to Smoothwall on \d+ \w+ \d{4}\.$/,
    );
    await checkA11y(library, 'attestation due because the provider changed');
  });
});
