import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { checkA11y, demoEmails, openFromNavigation, signIn, useE2e } from '../support/e2e.js';

/** The top of each item of the service navigation's list, rounded: one value means one row. */
const rowsOfItems = (page: Page) =>
  page
    .locator('.govuk-service-navigation__item')
    .evaluateAll((items) => [...new Set(items.map((i) => Math.round(i.getBoundingClientRect().top)))]);

describe('Journey: the grouped navigation (issue 21)', () => {
  const e2e = useE2e();

  it('when the coordinator, who has the most to open, reads the navigation at 1280 px, then it is one row and each group shows its pages', async () => {
    const page = await e2e.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, demoEmails.coordinator);
    expect(await rowsOfItems(page)).to.have.length(1);
    await openFromNavigation(page, 'Audit log');
    expect(await page.locator('h1').innerText()).to.equal('Audit log');
    expect(await page.locator('.app-section-nav a').allInnerTexts()).to.deep.equal([
      'Imports',
      'Reminders',
      'Audit log',
      'API tokens',
    ]);
    expect(await rowsOfItems(page)).to.have.length(1);
    await checkA11y(page, 'audit log with the Admin pages');
  });

  it('when the page is 375 px wide, then the navigation folds under the Menu button and opens from it', async () => {
    const page = await e2e.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await signIn(page, demoEmails.coordinator);
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.isVisible()).to.equal(true);
    expect(await page.locator('#navigation').isVisible()).to.equal(false);
    await menu.click();
    expect(await page.locator('#navigation').isVisible()).to.equal(true);
    expect(await page.locator('#navigation').getByRole('link', { name: 'Compliance' }).isVisible()).to.equal(
      true,
    );
    // The navigation itself fits (the page's wide tables are the list component's part of issue 21).
    expect(await page.locator('.govuk-service-navigation').evaluate((el) => el.scrollWidth)).to.be.at.most(
      375,
    );
    await checkA11y(page, 'dashboard at 375 px with the menu open');
  });
});
