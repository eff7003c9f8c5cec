import { expect } from 'chai';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoPng } from '../../../data/demo/demoEvidence.js';
import { Store } from '../../../data/store/store.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { checkA11y, chooseRadio, demoEmails, signIn, tabTo, useE2e, waitForPage } from '../support/e2e.js';

/**
 * Keyboard only: Tab to the file input, open the file picker with Space, and pick `file`. Chromium
 * sometimes lets a key press right after focus go by without opening the picker: then it is pressed again
 * (at most three times), as a person would.
 */
async function chooseFile(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await tabTo(page, '#evidence-file');
    try {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser', { timeout: 5_000 }),
        page.keyboard.press('Space'),
      ]);
      await chooser.setFiles(file);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

async function pressUpload(page: Page): Promise<void> {
  await tabTo(page, 'form[enctype="multipart/form-data"] button');
  await waitForPage(page, () => page.keyboard.press('Enter'));
}

describe('Journey: evidence on a premises audit, by keyboard', () => {
  const e2e = useE2e();

  it('when a facilities officer uploads a small PNG on check your answers of a draft audit, then it is listed, downloads as an attachment and can be removed; a missing description or an oversized file is explained', async function () {
    this.timeout(180_000);
    const page = await e2e.newPage();
    // Listening from the start turns on Playwright's file-chooser interception before any key is pressed.
    page.on('filechooser', () => {});
    await signIn(page, demoEmails.facilities);
    await page.goto('/premises');
    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Hillcrest Scout Hut', exact: true }).click(),
    );
    await waitForPage(page, () => page.getByRole('button', { name: 'Start audit' }).click());
    // Evidence is added within the audit's journey: on check your answers, not beside the questions.
    expect(await page.getByRole('heading', { name: 'Evidence' }).count()).to.equal(0);
    for (const q of premisesAudit.questions)
      await chooseRadio(page, `answer-${q.id}`, q.id === 'P13' ? 'na' : 'yes');
    await tabTo(page, '#comment-P13');
    await page.keyboard.type('First audit of this building');
    await tabTo(page, 'button[name="intent"][value="check"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    expect(await page.getByRole('heading', { name: 'Evidence' }).isVisible()).to.equal(true);
    await checkA11y(page, 'check your answers with an empty evidence section');

    const png = { name: 'Hire terms on the noticeboard.png', mimeType: 'image/png', buffer: demoPng(64, 32) };
    // No description: refused, with the error summary linking to the description.
    await chooseFile(page, png);
    await pressUpload(page);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).to.include('Enter a short description of the file');
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null),
    ).to.equal(true);
    await checkA11y(page, 'evidence upload refused: no description');

    // Too large for the limit (5MB by default): refused without the whole file being taken.
    await tabTo(page, '#evidence-description');
    await page.keyboard.type('Too big');
    await chooseFile(page, {
      name: 'scan.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(6 * 1024 * 1024, 1),
    });
    await pressUpload(page);
    expect(await page.locator('.govuk-error-summary').innerText()).to.include(
      'The selected file must be smaller than 5MB',
    );
    await checkA11y(page, 'evidence upload refused: too large');

    await tabTo(page, '#evidence-description');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Photo of the hire terms on the noticeboard');
    await chooseFile(page, png);
    await pressUpload(page);
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'Hire terms on the noticeboard.png was added to the evidence',
    );
    const row = page.locator('#evidence ~ .app-table-scroll table tbody tr');
    expect(await row.count()).to.equal(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).to.equal('Photo of the hire terms on the noticeboard');
    expect(cells[2]).to.match(/^PNG image, \d+ bytes$/);
    expect(cells[3]).to.match(/ by facilities@demo\.test$/);
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    await checkA11y(page, 'check your answers with one evidence file');

    await tabTo(page, '#evidence ~ .app-table-scroll table a.govuk-link');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).to.equal('Hire terms on the noticeboard.png');

    // Removing asks first: a page naming the file, then "Yes, remove this file".
    await tabTo(page, '#evidence ~ .app-table-scroll table a[href$="/remove"]');
    await waitForPage(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('h1').innerText()).to.equal('Remove this file from the evidence?');
    expect(await page.locator('main').innerText()).to.include('Hire terms on the noticeboard.png');
    await checkA11y(page, 'remove evidence file confirmation');
    await tabTo(page, 'button.govuk-button--warning');
    await waitForPage(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'was removed from the evidence',
    );
    expect(await page.getByText('No files have been added yet.').isVisible()).to.equal(true);
    expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting');
    await checkA11y(page, 'check your answers after removing the file');
  });

  it('when the officer opens a submitted audit that has evidence, then the files are listed read-only and the page passes axe', async () => {
    // The demo's evidence, read from the server's own database (read-only).
    const store = await Store.open(join(e2e.server.dir, 'var', 'demo.json'), { write: false });
    const e = store
      .list('evidence')
      .find((x) => store.get('reviews', x.reviewId)?.subjectType === 'premises')!;
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await page.goto(`/reviews/${e.reviewId}`);
    expect(await page.getByRole('link', { name: `${e.filename} (download)` }).isVisible()).to.equal(true);
    expect(await page.locator('form[enctype="multipart/form-data"]').count()).to.equal(0);
    expect(await page.locator('#evidence ~ .app-table-scroll table a[href$="/remove"]').count()).to.equal(0);
    await checkA11y(page, 'submitted audit with evidence');
  });
});
