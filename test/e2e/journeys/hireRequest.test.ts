import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import { checkA11y, chooseRadio, tabTo, useE2e, waitForPage } from '../support/e2e.js';

/** Keyboard only: Tab to the field, then type into it. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Keyboard only: Tab to the button or link, then Enter, and wait for the page it loads. */
async function press(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await waitForPage(page, () => page.keyboard.press('Enter'));
}

/** The page as a whole does not scroll sideways (SPEC §17: 375 px wide). */
async function noSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${label}: page wider than the window`).to.be.at.most(client);
}

async function checkPage(page: Page, label: string): Promise<void> {
  await checkA11y(page, label);
  await noSidewaysScroll(page, label);
}

describe('Journey: a member of the public requests a hall, by keyboard', () => {
  const e2e = useE2e();

  for (const [i, width] of [375, 1280].entries()) {
    it(`when a hirer fills in the request form by keyboard at ${width} px, then they check their answers, send it, and see its status`, async () => {
      const page = await e2e.newPage();
      await page.setViewportSize({ width, height: 900 });
      const at = `at ${width} px`;
      await page.goto('/hire');
      expect(await page.locator('h1').innerText()).to.equal('Request to hire a council hall');
      await checkPage(page, `request form ${at}`);

      await press(page, 'button.govuk-button[value="continue"]');
      const summary = await page.locator('.govuk-error-summary').innerText();
      expect(summary).to.include('Select the hall you want to hire');
      expect(summary).to.include('You must agree to the terms of hire');
      await checkPage(page, `request form with errors ${at}`);

      const hallValue = await page.getByLabel('Riverside Community Centre — Main Hall').getAttribute('value');
      await chooseRadio(page, 'hallId', hallValue!);
      const [year = '', month = '', day = ''] = addDays(londonDate(new Date()), 45 + i).split('-');
      await typeInto(page, '#start-day', String(Number(day)));
      await typeInto(page, '#start-month', String(Number(month)));
      await typeInto(page, '#start-year', year);
      await typeInto(page, '#startTime', '10:00');
      await typeInto(page, '#endTime', '12:30');
      await typeInto(page, '#eventTitle', 'Riverside local history morning');
      await typeInto(page, '#purpose', 'Talks on the history of the riverside, then questions.');
      await typeInto(page, '#expectedAttendance', '60');
      await chooseRadio(page, 'openToPublic', 'yes');
      await typeInto(page, '#hirerName', 'Morgan Reader');
      await typeInto(page, '#hirerEmail', 'morgan.reader@example.org');
      await typeInto(page, '#speaker-0-name', 'Casey Author');

      await press(page, 'button[value="add-speaker"]');
      expect(await page.locator('legend', { hasText: 'Speaker 2' }).count()).to.equal(1);
      await checkPage(page, `request form with another speaker ${at}`);
      await typeInto(page, '#speaker-1-name', 'Sam Historian');
      await tabTo(page, '#agreeTerms');
      await page.keyboard.press('Space');
      await press(page, 'button.govuk-button[value="continue"]');

      expect(await page.locator('h1').innerText()).to.equal('Check your answers before sending your request');
      const answers = await page.locator('main').innerText();
      expect(answers).to.include('Riverside Community Centre — Main Hall');
      expect(answers).to.include('Sam Historian');
      await checkPage(page, `check your answers ${at}`);

      await press(page, 'button[value="send"]');
      expect(await page.locator('h1').innerText()).to.equal('Request sent');
      const ref = await page.locator('.govuk-panel__body strong').innerText();
      expect(ref).to.match(/^WEB-[A-Z0-9]{6}$/);
      await checkPage(page, `confirmation ${at}`);

      await press(page, 'a.govuk-link[href*="/hire/"]');
      expect(await page.locator('h1').innerText()).to.equal('Your hall hire request');
      expect(await page.locator('main').innerText()).to.include('Being considered');
      expect(await page.locator('.govuk-caption-l').innerText()).to.include(ref);
      await checkPage(page, `status page ${at}`);

      await press(page, 'a.govuk-footer__link[href="/hire/privacy"]');
      expect(await page.locator('h1').innerText()).to.equal('Privacy notice for hall hire requests');
      await checkPage(page, `privacy notice ${at}`);
    });
  }
});
