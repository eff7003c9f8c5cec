import { expect } from 'chai';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

describe('Journey: a library manager attests, starting from last year’s', () => {
  const e2e = useE2e();

  it('when the manager confirms last year’s answers and signs, then the attestation is recorded and cannot change', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.libraryManager);
    await openFromNavigation(page, 'Libraries');
    await checkA11y(page, 'my libraries');
    const links = await page.locator('main table a').allInnerTexts();
    expect(links.length).to.equal(2);
    await waitForPage(page, () =>
      page
        .getByRole('link', { name: /Northbrook Central/ })
        .first()
        .click(),
    );
    await checkA11y(page, 'library page');
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Start from last year’s attestation' }).click(),
    );
    await checkA11y(page, 'attestation form started from last year');
    expect(await page.locator('main').innerText()).to.include('to confirm');

    // Submitting with nothing confirmed is refused, and focus goes to the error summary.
    await waitForPage(page, () => page.getByRole('button', { name: 'Submit' }).click());
    await checkA11y(page, 'attestation with errors');
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null),
    ).to.equal(true);

    // Answer what was not carried over, confirm the rest, sign.
    for (const name of await page
      .locator('input[type=radio][name^="answer-"]')
      .evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))])) {
      const checked = await page.locator(`input[name="${name}"]:checked`).count();
      if (checked === 0) await page.locator(`input[name="${name}"][value="yes"]`).check();
    }
    await page.locator('input[name="confirmAll"]').check();
    await page.getByLabel('Your full name').fill('Lee Libraries');
    await page.getByLabel('Your role').fill('Library services manager');
    await waitForPage(page, () => page.getByRole('button', { name: 'Submit' }).click());
    // L10 was carried over as "no": an action is offered for it before the confirmation.
    expect(await page.locator('h1').innerText()).to.equal('Raise actions for the answers of “no”');
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Continue without raising actions' }).click(),
    );
    await checkA11y(page, 'submitted attestation');
    const text = await page.locator('main').innerText();
    expect(text).to.match(/Outcome\s+(Compliant|Partially compliant|Non-compliant)/);
    expect(text).to.include('Lee Libraries, Library services manager');
    expect(await page.getByRole('button', { name: 'Submit' }).count()).to.equal(0);
  });
});
