import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import {
  checkA11y,
  checkA11yAtWidths,
  chooseRadio,
  demoEmails,
  signIn,
  useE2e,
  waitForPage,
  openFromNavigation,
} from '../support/e2e.js';

async function openBookings(page: Page): Promise<void> {
  await openFromNavigation(page, 'Bookings');
  expect(await page.locator('h1').innerText()).to.equal('Bookings');
  await checkA11y(page, 'bookings list');
}

const statusTag = (page: Page) => page.locator('main .govuk-tag').first().innerText();

describe('Journey: hall hire, from a provisional booking to a recorded decision', () => {
  const e2e = useE2e();

  it('when a facilities officer adds a booking, completes its checks and approves it with conditions, then the conditions print for on-site staff', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openBookings(page);
    await waitForPage(page, () => page.getByRole('button', { name: 'Add a booking' }).click());
    await checkA11y(page, 'new booking form');

    await waitForPage(page, () => page.getByRole('button', { name: 'Save booking' }).click());
    expect(await page.locator('.govuk-error-summary').innerText()).to.include(
      'Select the hall that is booked',
    );
    await checkA11y(page, 'new booking form with errors');

    const [year = '', month = '', day = ''] = addDays(londonDate(new Date()), 40).split('-');
    await page.getByLabel('Booking reference').fill('NB-H-7001');
    await page
      .getByLabel('Hall', { exact: true })
      .selectOption({ label: 'Riverside Community Centre — Main Hall' });
    await page.locator('#start-day').fill(String(Number(day)));
    await page.locator('#start-month').fill(String(Number(month)));
    await page.locator('#start-year').fill(year);
    await page.getByLabel('Start time').fill('18:30');
    await page.getByLabel('End time').fill('21:00');
    await page.getByLabel('Event title').fill('Community film night');
    await page.getByLabel('Name of the person booking').fill('Robin Example');
    await page.getByLabel('Organisation (optional)').fill('Riverside Film Club');
    await page.locator('#speaker-0-name').fill('Dr F. Critic');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save booking' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Community film night');
    expect(await statusTag(page)).to.equal('Provisional');
    await checkA11y(page, 'new booking page');

    // Approval is not offered while the checks are incomplete, and the page says why.
    await waitForPage(page, () => page.getByRole('button', { name: 'Record a decision' }).click());
    await checkA11y(page, 'decision form');
    expect(await page.locator('input[name="decision"][value="approved"]').count()).to.equal(0);
    expect(await page.locator('#not-offered').innerText()).to.include(
      'You cannot approve this booking yet: its due-diligence checks (H1 to H14) are not complete',
    );

    await waitForPage(page, () => page.getByRole('link', { name: 'Back to booking NB-H-7001' }).click());
    await waitForPage(page, () => page.getByRole('button', { name: 'Start the checks' }).click());
    expect(await page.locator('.govuk-caption-l').innerText()).to.equal('Booking due diligence');
    // The checks are long: a task list, one page per section (ASK, CHECK, DECIDE), each saved as it goes.
    const statuses = () => page.locator('.govuk-task-list__status').allInnerTexts();
    expect((await statuses()).map((x) => x.trim())).to.deep.equal([
      'Not started',
      'Not started',
      'Not started',
    ]);
    await checkA11yAtWidths(page, 'booking checks task list', { sideways: true });
    const sectionOf: Record<string, string> = {
      ASK: 'H1 H2 H3 H4 H14',
      CHECK: 'H5 H6 H7 H8 H9 H10 H11',
      DECIDE: 'H12 H13',
    };
    // ASK, saved part-answered to come back to.
    await waitForPage(page, () => page.getByRole('link', { name: 'ASK', exact: true }).click());
    expect(await page.locator('h1').innerText()).to.equal('ASK');
    await checkA11yAtWidths(page, 'booking checks section ASK', { sideways: true });
    for (const id of ['H1', 'H2']) await chooseRadio(page, `answer-${id}`, 'yes');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save and come back later' }).click());
    expect((await statuses()).map((x) => x.trim())).to.deep.equal([
      'In progress',
      'Not started',
      'Not started',
    ]);
    await waitForPage(page, () => page.getByRole('link', { name: 'ASK', exact: true }).click());
    expect(await page.locator('input[name="answer-H2"][value="yes"]').isChecked()).to.equal(true);
    for (const id of (sectionOf.ASK ?? '').split(' ')) await chooseRadio(page, `answer-${id}`, 'yes');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save and continue' }).click());
    // CHECK: a missing answer is refused with every other value kept.
    await waitForPage(page, () => page.getByRole('link', { name: 'CHECK', exact: true }).click());
    for (const id of (sectionOf.CHECK ?? '').split(' ')) {
      if (id !== 'H9') await chooseRadio(page, `answer-${id}`, id === 'H7' ? 'na' : 'yes');
    }
    await page.locator('#comment-H7').fill('The film club is not a registered charity');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save and continue' }).click());
    expect(await page.locator('.govuk-error-summary').innerText()).to.include('Answer question H9');
    expect(await page.locator('#comment-H7').inputValue()).to.equal(
      'The film club is not a registered charity',
    );
    expect(await page.locator('input[name="answer-H7"][value="na"]').isChecked()).to.equal(true);
    await checkA11yAtWidths(page, 'booking checks section with an error', { sideways: true });
    await chooseRadio(page, 'answer-H9', 'yes');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save and continue' }).click());
    await waitForPage(page, () => page.getByRole('link', { name: 'DECIDE', exact: true }).click());
    for (const id of (sectionOf.DECIDE ?? '').split(' ')) await chooseRadio(page, `answer-${id}`, 'yes');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save and continue' }).click());
    expect((await statuses()).map((x) => x.trim())).to.deep.equal(['Completed', 'Completed', 'Completed']);
    await checkA11yAtWidths(page, 'booking checks all completed', { sideways: true });
    await waitForPage(page, () => page.getByRole('button', { name: 'Check your answers' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    await checkA11yAtWidths(page, 'booking checks to check', { sideways: true });
    await waitForPage(page, () => page.getByRole('button', { name: 'Submit' }).click());
    expect(await page.locator('.govuk-panel__title').innerText()).to.equal('Booking due diligence submitted');
    await checkA11yAtWidths(page, 'submitted booking checks', { sideways: true });

    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Back to Community film night' }).first().click(),
    );
    expect(await statusTag(page)).to.equal('Checks complete');
    await waitForPage(page, () => page.getByRole('button', { name: 'Record a decision' }).click());
    await chooseRadio(page, 'decision', 'approved-with-conditions');
    await page
      .getByLabel('Reasons for the decision')
      .fill('Checks complete; a public screening with a talk.');
    // Only the chosen decision's boxes are shown (conditional reveal).
    expect(await page.locator('#refused-expression').isVisible()).to.equal(false);
    await page
      .locator('#conditions')
      .fill('A council officer is present\nNo change of speaker without agreement');
    await page
      .locator('#approved-with-conditions-expression')
      .fill('The conditions do not limit what is shown or said.');
    await page
      .locator('#approved-with-conditions-equality')
      .fill('The same conditions apply to every public talk.');
    await page
      .locator('#approved-with-conditions-alternatives')
      .fill('No restriction beyond an officer present.');
    await waitForPage(page, () => page.getByRole('button', { name: 'Record the decision' }).click());
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'Decision recorded: Approved with conditions',
    );
    expect(await statusTag(page)).to.equal('Approved with conditions');
    await checkA11y(page, 'booking approved with conditions');

    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Print the conditions for on-site staff' }).click(),
    );
    expect(await page.locator('h1').innerText()).to.equal('Conditions of this booking');
    expect(await page.locator('.app-conditions li').allInnerTexts()).to.deep.equal([
      'A council officer is present',
      'No change of speaker without agreement',
    ]);
    await checkA11y(page, 'printable conditions');
  });

  it('when a booking matching the watch list was referred, then only the coordinator can decide it, and deciding clears its flag', async () => {
    const officer = await e2e.newPage();
    await signIn(officer, demoEmails.facilities);
    await openBookings(officer);
    await waitForPage(officer, () => officer.getByRole('link', { name: 'NB-H-1005' }).click());
    expect(await statusTag(officer)).to.equal('Referred to the coordinator');
    expect(await officer.getByText('Only the coordinator can decide it.').isVisible()).to.equal(true);
    expect(await officer.getByRole('button', { name: 'Record a decision' }).count()).to.equal(0);
    expect(await officer.locator('#screening ~ .app-table-scroll table').first().innerText()).to.include(
      'Example Front',
    );
    await checkA11y(officer, 'referred booking, as the officer');

    const coordinator = await e2e.newPage();
    await signIn(coordinator, demoEmails.coordinator);
    // The dashboard's flag tables name the rule by its label (SPEC §17).
    const flagTables = async () => (await coordinator.locator('main table').allInnerTexts()).join('\n');
    expect(await flagTables()).to.include('Watch-list match awaiting decision');
    await openBookings(coordinator);
    await waitForPage(coordinator, () => coordinator.getByRole('link', { name: 'NB-H-1005' }).click());
    await waitForPage(coordinator, () =>
      coordinator.getByRole('button', { name: 'Record a new decision' }).click(),
    );
    await checkA11y(coordinator, 'referred booking decision form');
    await chooseRadio(coordinator, 'decision', 'refused');
    await coordinator
      .getByLabel('Reasons for the decision')
      .fill('The organisation is on the proscribed list.');
    await coordinator.locator('#refused-expression').fill('Support for a proscribed group is not protected.');
    await coordinator.locator('#refused-equality').fill('The refusal rests on the listing alone.');
    await coordinator.locator('#refused-alternatives').fill('No condition could make the meeting lawful.');
    await waitForPage(coordinator, () =>
      coordinator.getByRole('button', { name: 'Record the decision' }).click(),
    );
    expect(await statusTag(coordinator)).to.equal('Refused');
    await checkA11y(coordinator, 'referred booking refused by the coordinator');

    await openFromNavigation(coordinator, 'Dashboard');
    expect(await flagTables()).to.not.include('Watch-list match awaiting decision');

    await openFromNavigation(coordinator, 'Watch list');
    expect(await coordinator.locator('main').innerText()).to.include(
      'Demo proscribed organisations (fictional)',
    );
    await checkA11y(coordinator, 'watch list');
  });

  it('when a coordinator looks for a booking decided more than a year ago, then the list finds it with "include archived" and its page is read-only', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openBookings(page);
    await page.getByLabel('Reference, event or hirer').fill('NB-H-0907');
    await page.getByLabel('When').selectOption('all');
    await page.getByLabel('Include archived bookings').check();
    await waitForPage(page, () => page.getByRole('button', { name: 'Apply filters' }).click());
    expect(await page.locator('.app-list-summary__count').innerText()).to.equal('1 booking');
    await checkA11y(page, 'bookings list with archived bookings');
    await waitForPage(page, () => page.getByRole('link', { name: 'NB-H-0907' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Autumn open rehearsal');
    expect(await page.locator('main').innerText()).to.include('can no longer be changed');
    expect(await page.getByRole('link', { name: /Change the booking/ }).count()).to.equal(0);
    await checkA11y(page, 'archived booking');
    await waitForPage(page, () => page.locator('main a[href^="/hirers/"]').first().click());
    expect(await page.locator('main').innerText()).to.include('Approved (archived)');
    expect(await page.getByRole('link', { name: /Export all data held/ }).count()).to.equal(1);
    await checkA11y(page, 'hirer with archived bookings');
  });
});
