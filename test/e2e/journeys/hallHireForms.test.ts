import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import {
  checkA11yAtWidths,
  chooseRadio,
  demoEmails,
  openFromNavigation,
  signIn,
  tabTo,
  useE2e,
  waitForPage,
} from '../support/e2e.js';

/** Keyboard only: Tab to the field and type into it (what was there is replaced). */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Keyboard only: Tab to a button and press Enter, waiting for the page it loads. */
async function pressButton(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await waitForPage(page, () => page.keyboard.press('Enter'));
}

const fieldValue = (page: Page, selector: string) => page.locator(selector).inputValue();

describe('Journey: hall-hire forms an officer can trust (SPEC §17)', () => {
  const e2e = useE2e();

  it('when a facilities officer books with two added speakers by keyboard alone, then an error keeps every value and the booking saves with all three', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await page.goto('/bookings/new');
    await checkA11yAtWidths(page, 'new booking form');
    expect(await fieldValue(page, '#ref')).to.match(/^HH-\d{4}-\d{4}$/);

    const [year, month, day] = addDays(londonDate(new Date()), 45).split('-');
    await tabTo(page, '#hallId');
    await page.keyboard.type('Riverside Community Centre');
    await typeInto(page, '#start-day', String(Number(day)));
    await typeInto(page, '#start-month', String(Number(month)));
    await typeInto(page, '#start-year', year ?? '');
    // Start time left blank: the error comes later.
    await typeInto(page, '#endTime', '21:00');
    await typeInto(page, '#eventTitle', 'Open mic poetry');
    await typeInto(page, '#hirerName', 'Jo Example');
    await typeInto(page, '#speaker-0-name', 'A. Poet');
    await typeInto(page, '#speaker-0-aliases', 'Ann Poet');

    await pressButton(page, 'button[name="addSpeaker"]');
    expect(await fieldValue(page, '#speaker-0-name')).to.equal('A. Poet');
    expect(await fieldValue(page, '#eventTitle')).to.equal('Open mic poetry');
    await typeInto(page, '#speaker-1-name', 'B. Rhymer');
    await pressButton(page, 'button[name="addSpeaker"]');
    await typeInto(page, '#speaker-2-name', 'C. Verse');
    await typeInto(page, '#speaker-2-affiliation', 'Riverside Writers');
    await checkA11yAtWidths(page, 'booking form with three speakers');

    // Enter in a field saves (never "Add another" or "Remove"): the missing start time is reported.
    await tabTo(page, '#speaker-2-affiliation');
    await waitForPage(page, () => page.keyboard.press('Enter'));
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).to.include('start time');
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null),
    ).to.equal(true);
    await checkA11yAtWidths(page, 'booking form with an error');
    for (const [selector, value] of [
      ['#start-day', String(Number(day))],
      ['#endTime', '21:00'],
      ['#eventTitle', 'Open mic poetry'],
      ['#hirerName', 'Jo Example'],
      ['#speaker-0-name', 'A. Poet'],
      ['#speaker-0-aliases', 'Ann Poet'],
      ['#speaker-1-name', 'B. Rhymer'],
      ['#speaker-2-name', 'C. Verse'],
      ['#speaker-2-affiliation', 'Riverside Writers'],
    ] as const)
      expect(await fieldValue(page, selector), selector).to.equal(value);

    await typeInto(page, '#startTime', '18:30');
    await pressButton(page, 'button.govuk-button:not(.govuk-button--secondary):not(.govuk-button--warning)');
    expect(await page.locator('h1').innerText()).to.equal('Open mic poetry');
    const speakers = await page.locator('table').first().locator('tbody tr td:first-child').allInnerTexts();
    expect(speakers).to.deep.equal(['A. Poet', 'B. Rhymer', 'C. Verse']);
    await checkA11yAtWidths(page, 'booking saved with three speakers');
  });

  it('when the coordinator decides a referred booking, then only allowed choices are offered, the boxes follow the choice, and sending it twice records one decision', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await page.goto('/bookings?q=NB-H-1005&when=all');
    await waitForPage(page, () => page.getByRole('link', { name: 'NB-H-1005' }).click());
    const bookingUrl = page.url();
    await waitForPage(page, () => page.getByRole('button', { name: 'Record a new decision' }).click());
    const decisionUrl = page.url();
    await checkA11yAtWidths(page, 'referred booking decision form');

    const offered = await page
      .locator('input[name="decision"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(offered).to.not.include('referred');
    if (!offered.includes('approved'))
      expect(await page.locator('#not-offered').innerText()).to.include('Approved');

    expect(await page.locator('#refused-expression').isVisible()).to.equal(false);
    await chooseRadio(page, 'decision', 'refused');
    expect(await page.locator('#refused-expression').isVisible()).to.equal(true);
    expect(await page.locator('#conditions').isVisible()).to.equal(false);
    await checkA11yAtWidths(page, 'decision form with the refusal’s boxes revealed');

    // An error keeps what was written in the revealed boxes.
    await typeInto(page, '#refused-expression', 'Support for a proscribed group is not protected.');
    await pressButton(page, 'button.govuk-button:not(.govuk-button--secondary)');
    expect(await page.locator('.govuk-error-summary').innerText()).to.include(
      'Give the reasons for the decision',
    );
    expect(await fieldValue(page, '#refused-expression')).to.equal(
      'Support for a proscribed group is not protected.',
    );
    expect(await page.locator('#refused-expression').isVisible()).to.equal(true);
    await checkA11yAtWidths(page, 'decision form with errors');

    await typeInto(page, '#refused-equality', 'The refusal rests on the listing alone.');
    await typeInto(page, '#refused-alternatives', 'No condition could make the meeting lawful.');
    await typeInto(page, '#rationale', 'The organisation is on the proscribed list.');

    // The same form open in a second tab of the same session, as the back button would show it.
    const again = await page.context().newPage();
    await again.goto(decisionUrl);
    await again.locator('input[name="decision"][value="refused"]').check();
    await again.locator('#refused-expression').fill('Support for a proscribed group is not protected.');
    await again.locator('#refused-equality').fill('The refusal rests on the listing alone.');
    await again.locator('#refused-alternatives').fill('No condition could make the meeting lawful.');
    await again.locator('#rationale').fill('The organisation is on the proscribed list.');

    await pressButton(page, 'button.govuk-button:not(.govuk-button--secondary)');
    expect(page.url()).to.equal(bookingUrl);
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'Decision recorded: Refused',
    );
    const earlier = (p: Page) =>
      p.locator('table', { hasText: 'Earlier decisions' }).locator('tbody tr').count();
    const before = await earlier(page);

    // Sent a second time: the same decision is recognised and nothing new is recorded.
    await waitForPage(again, () => again.getByRole('button', { name: 'Record the decision' }).click());
    expect(again.url()).to.equal(bookingUrl);
    expect(await earlier(again)).to.equal(before);
    await page.reload();
    expect(await earlier(page)).to.equal(before);
  });

  it('when a booking changed since it was opened, then the conflict page shows only the changed field and saves the person’s version on request', async () => {
    const officer = await e2e.newPage();
    await signIn(officer, demoEmails.facilities);
    const coordinator = await e2e.newPage();
    await signIn(coordinator, demoEmails.coordinator);
    for (const p of [officer, coordinator]) {
      await p.goto('/bookings?q=NB-H-1002&when=all');
      await waitForPage(p, () => p.getByRole('link', { name: 'NB-H-1002' }).click());
      await waitForPage(p, () => p.getByRole('link', { name: 'Change the booking NB-H-1002' }).click());
    }
    await coordinator.locator('#endTime').fill('22:00');
    await waitForPage(coordinator, () => coordinator.getByRole('button', { name: 'Save booking' }).click());

    await officer.locator('#eventTitle').fill('Officer’s new title');
    await waitForPage(officer, () => officer.getByRole('button', { name: 'Save booking' }).click());
    expect(await officer.locator('h1').innerText()).to.equal('This record changed since you opened it');
    const cards = officer.locator('.govuk-summary-card');
    expect(await cards.locator('.govuk-summary-card__title').allInnerTexts()).to.deep.equal([
      'End time',
      'Event title',
    ]);
    expect(await cards.nth(0).innerText()).to.include('10pm');
    expect(await cards.nth(1).innerText()).to.include('Officer’s new title');
    await checkA11yAtWidths(officer, 'booking conflict page');

    await waitForPage(officer, () => officer.getByRole('button', { name: 'Save my version' }).click());
    expect(await officer.locator('h1').innerText()).to.equal('Officer’s new title');
  });

  it('when a Prevent lead’s training record is removed, then a confirmation page comes first and going back keeps it', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.education);
    await openFromNavigation(page, 'Schools');
    // Priya Shah, a lead at Northbrook Academy, has two training records in the demo borough.
    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Northbrook Academy', exact: true }).click(),
    );
    const removeLinks = page.locator('a[href*="/training/"][href$="/remove"]');
    const link = removeLinks.first();
    const what = await link.innerText();
    const schoolUrl = page.url();
    await waitForPage(page, () => link.click());
    expect(await page.locator('h1').innerText()).to.equal('Remove this training record?');
    await checkA11yAtWidths(page, 'remove training record confirmation');
    await waitForPage(page, () => page.getByRole('link', { name: 'No, go back' }).click());
    expect(page.url()).to.equal(schoolUrl);
    expect(await removeLinks.allInnerTexts()).to.include(what);

    const count = await removeLinks.count();
    await waitForPage(page, () => removeLinks.first().click());
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Yes, remove this training record' }).click(),
    );
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'A training record was removed',
    );
    expect(await removeLinks.count()).to.equal(count - 1);
    await checkA11yAtWidths(page, 'school after a training record was removed');
  });
});
