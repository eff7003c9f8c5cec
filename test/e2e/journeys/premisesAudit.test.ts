import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addMonths, formatDate, londonDate } from '../../../checks/londonDates.js';
import {
  checkA11y,
  chooseRadio,
  demoEmails,
  signIn,
  tabTo,
  useE2e,
  waitForPage,
  openFromNavigation,
} from '../support/e2e.js';

const QUESTIONS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13'];

/** Opens Premises from the service navigation, then the building by its name in the list. */
async function openBuilding(page: Page, name: string): Promise<void> {
  await openFromNavigation(page, 'Premises');
  expect(await page.locator('h1').innerText()).to.equal('Premises');
  await checkA11y(page, 'premises list');
  await waitForPage(page, () => page.getByRole('link', { name, exact: true }).click());
  expect(await page.locator('h1').innerText()).to.equal(name);
  await checkA11y(page, `premises page: ${name}`);
}

/** The value beside a key in the first summary list that has it. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row', {
    has: page.locator('.govuk-summary-list__key', { hasText: key }),
  });
  return (await row.first().locator('.govuk-summary-list__value').innerText()).trim();
}

const focusedIs = (page: Page, selector: string) =>
  page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

describe('Journey: a facilities officer audits a building', () => {
  const e2e = useE2e();

  it('when a building is audited for the first time by keyboard, then the outcome, next due date and a raised action show', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openBuilding(page, 'Hillcrest Scout Hut');
    expect(await page.getByText('This building has not been audited yet.').isVisible()).to.equal(true);

    await waitForPage(page, () => page.getByRole('button', { name: 'Start audit' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Hillcrest Scout Hut');
    expect(await page.locator('.govuk-caption-l').innerText()).to.equal('Premises audit');
    await checkA11y(page, 'blank audit form');

    // Keyboard only: every answer is chosen with Tab, Space and the arrow keys, the reason is typed.
    for (const id of QUESTIONS) {
      if (id === 'P4') await chooseRadio(page, `answer-${id}`, 'no');
      else if (id === 'P13') {
        await chooseRadio(page, `answer-${id}`, 'na');
        await tabTo(page, `#comment-${id}`);
        await page.keyboard.type('First audit of this building, so there were no earlier actions');
      } else await chooseRadio(page, `answer-${id}`, 'yes');
    }
    const checked = await page.$$eval('input[type="radio"]:checked', (els) =>
      els.map((e) => `${(e as HTMLInputElement).name}=${(e as HTMLInputElement).value}`),
    );
    expect(checked).to.have.length(QUESTIONS.length);
    await tabTo(page, 'button[name="intent"][value="submit"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));

    // The answer of "no" is offered an action first; going on without one reaches the confirmation.
    expect(await page.locator('h1').innerText()).to.equal('Raise actions for the answers of “no”');
    await checkA11y(page, 'action offered for the answer of no');
    await tabTo(page, 'button[name="intent"][value="skip"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));

    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'The review was submitted',
    );
    expect(await summaryValue(page, 'Outcome')).to.equal('Partially compliant');
    expect(await page.locator('.govuk-tag--yellow', { hasText: 'Partially compliant' }).count()).to.equal(1);
    const today = londonDate(new Date());
    // A medium-risk building is audited every 12 months.
    expect(await summaryValue(page, 'Next due')).to.equal(formatDate(addMonths(today, 12)));
    expect(await summaryValue(page, 'Completed')).to.equal(
      `${formatDate(today)} by ${demoEmails.facilities}`,
    );
    const p13 = await summaryValue(page, 'P13.');
    expect(p13).to.equal('Not applicable — First audit of this building, so there were no earlier actions');
    await checkA11y(page, 'submitted audit');

    // The "no" answer can raise an action.
    const noTable = page.locator('table', { has: page.locator('th', { hasText: 'Critical' }) });
    expect(await noTable.locator('tbody tr').count()).to.equal(1);
    expect(await noTable.locator('tbody tr').innerText()).to.include('P4.');
    await waitForPage(page, () => page.getByRole('link', { name: 'Raise an action for P4' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Raise an action');
    expect(await page.getByLabel('What needs to be done').inputValue()).to.match(/^Put right: /);
    await checkA11y(page, 'raise an action form');

    // Sent without a description and with an impossible date: both are listed and what was typed stays.
    await page.getByLabel('What needs to be done').fill('');
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill(today.slice(0, 4));
    await waitForPage(page, () => page.getByRole('button', { name: 'Raise action' }).click());
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Describe the action',
      'A due date must be a real date',
    ]);
    expect(await page.getByLabel('Day').inputValue()).to.equal('31');
    await checkA11y(page, 'raise an action form with errors');

    const due = addMonths(today, 1);
    await page.getByLabel('What needs to be done').fill('Record the Prevent risk rating for the scout hut');
    await page.getByLabel('Owner’s email address (optional)').fill('site.manager@northbrook.test');
    const [y, m, d] = due.split('-');
    await page.getByLabel('Day').fill(String(Number(d)));
    await page.getByLabel('Month').fill(String(Number(m)));
    await page.getByLabel('Year').fill(y);
    await waitForPage(page, () => page.getByRole('button', { name: 'Raise action' }).click());

    expect(await page.locator('.govuk-notification-banner').innerText()).to.include('The action was raised');
    expect(await noTable.locator('tbody tr').innerText()).to.include(
      `Record the Prevent risk rating for the scout hut — due ${formatDate(due)}, owner site.manager@northbrook.test`,
    );
    expect(await page.getByRole('heading', { name: 'Open actions' }).isVisible()).to.equal(true);
    await checkA11y(page, 'audit with a raised action');

    // Back on the building: the audit and the action are there.
    await waitForPage(page, () => page.getByRole('link', { name: 'Back to Hillcrest Scout Hut' }).click());
    expect(await summaryValue(page, 'Outcome')).to.equal('Partially compliant');
    expect(await summaryValue(page, 'Next due')).to.equal(formatDate(addMonths(today, 12)));
    expect(await page.locator('table', { hasText: 'Record the Prevent risk rating' }).innerText()).to.include(
      'Open',
    );
    expect(await page.getByRole('button', { name: 'Start from last audit' }).isVisible()).to.equal(true);
    await checkA11y(page, 'premises page after its audit');
  });

  it('when an audit is started from the last one, then each carried-over answer is confirmed by keyboard and a high-risk building is due in 6 months', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openBuilding(page, 'Eastgate Market Hall');
    await waitForPage(page, () => page.getByRole('button', { name: 'Start from last audit' }).click());
    expect(
      await page
        .locator('.govuk-inset-text', { hasText: 'Answers were copied from the last review' })
        .count(),
    ).to.equal(1);
    const toConfirm = await page.$$eval('input[type="checkbox"][name^="confirm-"]', (els) =>
      els.map((e) => (e as HTMLInputElement).name.slice('confirm-'.length)),
    );
    expect(toConfirm.length).to.be.greaterThan(0);
    await checkA11y(page, 'audit started from the last one');

    // Tick each "confirm" with Space, except P12, which is changed to "no" instead.
    for (const id of QUESTIONS) {
      if (id === 'P12') {
        await chooseRadio(page, `answer-${id}`, 'no');
      } else if (toConfirm.includes(id)) {
        await tabTo(page, `#confirm-${id}`);
        await page.keyboard.press('Space');
        expect(await page.isChecked(`#confirm-${id}`)).to.equal(true);
      } else {
        await chooseRadio(page, `answer-${id}`, 'yes');
      }
    }
    await tabTo(page, 'button[name="intent"][value="submit"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('h1').innerText()).to.equal('Raise actions for the answers of “no”');
    await tabTo(page, 'button[name="intent"][value="skip"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));

    // P12 is critical: a "no" makes the building non-compliant.
    expect(await summaryValue(page, 'Outcome')).to.equal('Non-compliant');
    expect(await page.locator('.govuk-tag--red', { hasText: 'Non-compliant' }).count()).to.equal(1);
    const today = londonDate(new Date());
    expect(await summaryValue(page, 'Next due')).to.equal(formatDate(addMonths(today, 6)));
    await checkA11y(page, 'submitted audit started from the last one');
  });

  it('when an audit is submitted with questions unanswered, then focus moves to the error summary, whose links lead to each question', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openBuilding(page, 'St Anne’s Church Hall (council-leased)');
    await waitForPage(page, () => page.getByRole('button', { name: 'Start audit' }).click());
    await chooseRadio(page, 'answer-P1', 'yes');
    await tabTo(page, 'button[name="intent"][value="submit"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));

    expect(await page.title()).to.match(/^Error: Premises audit: /);
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.locator('h2').innerText()).to.equal('There is a problem');
    const links = await summary.locator('a').allInnerTexts();
    expect(links).to.include('Answer question P2');
    expect(links).to.not.include('Answer question P1');
    // What was answered is kept.
    expect(await page.isChecked('#answer-P1')).to.equal(true);
    expect(await page.locator('#answer-P2-error').innerText()).to.include('Answer question P2');
    await checkA11y(page, 'audit with errors');

    // The first link in the summary takes keyboard focus to the first unanswered question.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).to.equal(
      'Answer question P2',
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'answer-P2');
    expect(await focusedIs(page, '#answer-P2')).to.equal(true);
  });

  it('when the new-premises form is sent with mistakes, then what was typed is kept and the error summary lists each one', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await openFromNavigation(page, 'Premises');
    await waitForPage(page, () => page.getByRole('button', { name: 'Add premises' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Add premises');
    await checkA11y(page, 'add premises form');

    await page.getByLabel('Name of the building').fill('Northbrook Bowls Pavilion');
    await page.getByLabel('Postcode (optional)').fill('NOT A POSTCODE');
    await page.getByLabel('Ward (optional)').fill('Southmead');
    await page.getByRole('group', { name: 'Prevent risk rating' }).getByLabel('High').check();
    await waitForPage(page, () => page.getByRole('button', { name: 'Save' }).click());

    expect(await page.title()).to.equal('Error: Add premises — Due Regard');
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    const links = await page.locator('.govuk-error-summary a').allInnerTexts();
    expect(links).to.include.members([
      'Enter a reference (the UPRN or council reference)',
      'Enter a real postcode, like SW1A 1AA',
      'Explain why the building is high risk',
    ]);
    expect(await page.getByLabel('Name of the building').inputValue()).to.equal('Northbrook Bowls Pavilion');
    expect(await page.getByLabel('Postcode (optional)').inputValue()).to.equal('NOT A POSTCODE');
    expect(await page.getByLabel('Ward (optional)').inputValue()).to.equal('Southmead');
    expect(await page.isChecked('input[name="risk"][value="high"]')).to.equal(true);
    expect(await page.locator('#ref-error').innerText()).to.include('Enter a reference');
    await checkA11y(page, 'add premises form with errors');

    // Putting the mistakes right saves the building.
    await page.getByLabel('Reference', { exact: true }).fill('NB-099');
    await page.getByLabel('Postcode (optional)').fill('NB4 9BP');
    await page.getByLabel('Why this rating (required for high risk)').fill('Large hall hired late at night');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Northbrook Bowls Pavilion');
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'Northbrook Bowls Pavilion was added',
    );
    expect(await summaryValue(page, 'Risk rating')).to.equal('high: Large hall hired late at night');
    await checkA11y(page, 'new premises page');
  });
});
