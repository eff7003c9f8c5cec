import { expect } from 'chai';
import {
  checkA11yAtWidths,
  demoEmails,
  openFromNavigation,
  reviewFormState,
  signIn,
  useE2e,
  waitForPage,
} from '../support/e2e.js';

describe('Journey: a library manager attests, starting from last year’s', () => {
  const e2e = useE2e();

  it('when the manager confirms last year’s answers and signs, then the attestation is recorded and cannot change', async () => {
    const page = await e2e.newPage();
    await page.goto('/login');
    await checkA11yAtWidths(page, 'sign-in page', { sideways: true });
    await signIn(page, demoEmails.libraryManager);
    // The dashboard's and lists' wide tables are another change's (i21lists): axe only there; the
    // review pages are also checked for sideways scrolling at 375 px.
    await checkA11yAtWidths(page, 'dashboard');
    await openFromNavigation(page, 'Libraries');
    await checkA11yAtWidths(page, 'my libraries');
    // The libraries themselves (the header's sort links are not counted).
    const links = await page.locator('main table tbody a').allInnerTexts();
    expect(links.length).to.equal(2);
    await waitForPage(page, () =>
      page
        .getByRole('link', { name: /Northbrook Central/ })
        .first()
        .click(),
    );
    await checkA11yAtWidths(page, 'library page');
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Start from last year’s attestation' }).click(),
    );
    await checkA11yAtWidths(page, 'attestation form started from last year', { sideways: true });
    expect(await page.locator('main').innerText()).to.include('to confirm');

    // Continuing with nothing confirmed is refused, and focus goes to the error summary.
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    await checkA11yAtWidths(page, 'attestation with errors', { sideways: true });
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null),
    ).to.equal(true);

    // Answer what was not carried over, confirm the rest, a note, sign, but leave the role out.
    for (const name of await page
      .locator('input[type=radio][name^="answer-"]')
      .evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLInputElement).name))])) {
      const checked = await page.locator(`input[name="${name}"]:checked`).count();
      if (checked === 0) await page.locator(`input[name="${name}"][value="yes"]`).check();
    }
    await page.locator('input[name="confirm-L1"]').check();
    await page.locator('input[name="confirmAll"]').check();
    await page.locator('#comment-L2').fill('Checked with the provider in March');
    await page.getByLabel('Notes (optional)').fill('Filtering reviewed with IT');
    await page.getByLabel('Your full name').fill('Lee Libraries');
    const sent = await reviewFormState(page);
    expect(sent).to.include.members(['confirm-L1=yes', 'confirmAll=yes', 'attest-name=Lee Libraries']);
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal(['Enter your role']);
    expect(await reviewFormState(page)).to.deep.equal(sent);
    await checkA11yAtWidths(page, 'attestation with only the role missing', { sideways: true });

    await page.getByLabel('Your role').fill('Library services manager');
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    const check = await page.locator('main').innerText();
    expect(check).to.include('Checked with the provider in March');
    expect(check).to.include('Filtering reviewed with IT');
    expect(check).to.include('Lee Libraries');
    expect(check).to.include('By submitting you confirm');
    await checkA11yAtWidths(page, 'attestation to check', { sideways: true });

    // Evidence is added here, before submitting, and the page comes back with it listed.
    await page.getByLabel('What the file shows').fill('Provider’s letter confirming IWF membership');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'iwf-letter.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      ),
    });
    await waitForPage(page, () => page.getByRole('button', { name: 'Upload file' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    expect(await page.locator('#evidence + table, table').first().innerText()).to.include('iwf-letter.pdf');
    await checkA11yAtWidths(page, 'attestation to check with its evidence', { sideways: true });

    await waitForPage(page, () => page.getByRole('button', { name: 'Submit' }).click());
    // L10 was carried over as "no": an action is offered for it before the confirmation.
    expect(await page.locator('h1').innerText()).to.equal('Raise actions for the answers of “no”');
    await checkA11yAtWidths(page, 'attestation follow-up', { sideways: true });
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Continue without raising actions' }).click(),
    );
    expect(await page.locator('.govuk-panel__title').innerText()).to.equal(
      'Library internet-access attestation submitted',
    );
    expect(await page.locator('main').innerText()).to.include('What happens next');
    await checkA11yAtWidths(page, 'attestation confirmation', { sideways: true });

    await waitForPage(page, () =>
      page.getByRole('link', { name: 'View the submitted library internet-access attestation' }).click(),
    );
    await checkA11yAtWidths(page, 'submitted attestation', { sideways: true });
    const text = await page.locator('main').innerText();
    expect(text).to.match(/Outcome\s+(Compliant|Partially compliant|Non-compliant)/);
    expect(text).to.include('Lee Libraries, Library services manager');
    expect(text).to.include('iwf-letter.pdf');
    expect(await page.getByRole('button', { name: 'Submit' }).count()).to.equal(0);
  });
});
