import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { londonDate } from '../../../checks/londonDates.js';
import { getTemplate } from '../../../checks/templates/index.js';
import { decodeQuotedPrintable } from '../../support/smtpSink.js';
import { checkA11y, chooseRadio, signIn, tabTo, useE2e, waitForPage } from '../support/e2e.js';

/** Keyboard only: Tab to a field and type into it. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Keyboard only: Tab to a link or button and press Enter, then wait for the page it opens. */
async function pressOn(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await waitForPage(page, () => page.keyboard.press('Enter'));
}

describe('Journey: a school completes its annual Prevent return by its personal link, by keyboard', () => {
  const e2e = useE2e();

  it('when the education team sends the returns and the school fills in and submits its return, then every page passes axe and the school gets a receipt', async () => {
    const staff = await e2e.newPage();
    await signIn(staff, 'education@demo.test');
    await staff.goto('/schools/returns');
    await checkA11y(staff, 'annual returns before sending');
    await waitForPage(staff, () =>
      staff.getByRole('button', { name: 'Send to every school in scope' }).click(),
    );
    await checkA11y(staff, 'annual returns after sending');
    expect(await staff.locator('.govuk-notification-banner').innerText()).to.include('Sent to 3 schools');

    // The email in the outbox (no SMTP server in the demo) holds Hillcrest's personal link.
    const outbox = join(e2e.server.dir, 'var', 'outbox');
    const mail = readdirSync(outbox)
      .filter((f) => f.includes('g.lloyd'))
      .map((f) => decodeQuotedPrintable(readFileSync(join(outbox, f), 'utf8')))
      .find((text) => text.includes('Annual Prevent return for'));
    const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(mail ?? '')?.[1];
    expect(token, 'a link in the email').to.be.a('string');

    // The school: a browser with no account.
    const school = await e2e.newPage();
    await school.goto(`/r/${token}`);
    await checkA11y(school, 'return task list');
    expect(await school.locator('h1').innerText()).to.equal('Annual Prevent return');
    expect(await school.locator('header').innerText()).to.not.match(/Sign out|Dashboard/);

    await pressOn(school, 'a[href$="/leads"]');
    await checkA11y(school, 'return leads');
    await pressOn(school, 'button[type="submit"]');
    await checkA11y(school, 'return leads with an error');
    expect(await school.locator('.govuk-error-summary').innerText()).to.include('still a Prevent lead');
    await chooseRadio(school, 'lead-0-still', 'yes');
    await pressOn(school, 'button[type="submit"]');
    expect(await school.locator('#leads-status').innerText()).to.include('Completed');

    await pressOn(school, 'a[href$="/training"]');
    await checkA11y(school, 'return training');
    const today = londonDate(new Date());
    await chooseRadio(school, 'type', 'wrap');
    await typeInto(school, '#completedOn-day', String(Number(today.slice(8, 10))));
    await typeInto(school, '#completedOn-month', String(Number(today.slice(5, 7))));
    await typeInto(school, '#completedOn-year', today.slice(0, 4));
    await pressOn(school, 'form[action$="/training"] button');
    await checkA11y(school, 'return training added');
    expect(await school.locator('main').innerText()).to.include('WRAP');
    await pressOn(school, 'form[action$="/training/done"] button');

    await pressOn(school, 'a[href$="/audit"]');
    await checkA11y(school, 'return audit');
    for (const q of getTemplate('school-audit').questions) await chooseRadio(school, `answer-${q.id}`, 'yes');
    await pressOn(school, 'form[action$="/audit"] button[type="submit"]');
    expect(await school.locator('#audit-status').innerText()).to.include('Completed');
    await checkA11y(school, 'return task list ready to submit');

    await pressOn(school, 'a[href$="/check"]');
    await checkA11y(school, 'return check your answers');
    await typeInto(school, '#attest-name', 'Gareth Lloyd');
    await typeInto(school, '#attest-role', 'Designated safeguarding lead');
    await pressOn(school, 'form[action$="/submit"] button');
    await checkA11y(school, 'return receipt');
    expect(await school.locator('.govuk-panel__title').innerText()).to.include('Return submitted');

    await school.goto('/r/privacy');
    await checkA11y(school, 'return privacy notice');
    await school.goto(`/r/${'A'.repeat(43)}`);
    await checkA11y(school, 'return link that does not work');

    await staff.goto('/schools/returns');
    expect(await staff.locator('#school-190003').innerText()).to.include('Submitted');
    await staff.goto('/schools/bulletins/new');
    await checkA11y(staff, 'bulletin form');
    await staff.getByLabel('Subject').fill('Prevent update');
    await staff.getByLabel('Message').fill('First paragraph.\n\nSecond paragraph.');
    await waitForPage(staff, () => staff.getByRole('button', { name: 'Preview' }).click());
    await checkA11y(staff, 'bulletin preview');
    await waitForPage(staff, () => staff.getByRole('button', { name: /Send to \d+ leads/ }).click());
    await checkA11y(staff, 'bulletins sent');
  });
});
