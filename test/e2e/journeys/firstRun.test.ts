import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { checkA11y, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';
import { projectRoot } from '../support/e2eServer.js';

const fixture = (name: string) => join(projectRoot, 'test/fixtures/csv', name);

/** Waits out the "reading the file" page (it reloads itself) until the preview is there. */
async function waitForPreview(page: Page): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const reading = await page.getByText('This page updates by itself').count();
    if (!reading) return;
    await page.waitForEvent('load', { timeout: 10_000 }).catch(() => {});
  }
  throw new Error('The preview was still being read after a minute');
}

/** Imports a file as the coordinator: upload, preview (checked with axe), import; returns the preview's counts text. */
async function importFile(page: Page, kind: string, file: string, source?: string): Promise<string> {
  await openFromNavigation(page, 'Imports');
  await page.getByRole('group', { name: 'What are you importing?' }).getByLabel(kind).check();
  if (source) await page.getByLabel('Source of the watch list (optional)').fill(source);
  await page.getByLabel('File', { exact: true }).setInputFiles(fixture(file));
  await waitForPage(page, () => page.getByRole('button', { name: 'Upload and preview' }).click());
  await waitForPreview(page);
  expect(await page.locator('h1').innerText()).to.equal(file);
  const counts = await page.locator('.govuk-summary-list').innerText();
  await checkA11y(page, `${file} preview`);
  await waitForPage(page, () => page.getByRole('button', { name: 'Import' }).click());
  expect(await page.locator('h1').innerText()).to.equal('Imported');
  await checkA11y(page, `${file} imported`);
  return counts;
}

describe('Journey: first run, invitation, imports (started on an empty database, real SMTP on loopback)', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(async () => smtp?.close());
  const e2e = useE2e(() => ({ demo: false, env: { SMTP_URL: smtp.url } }));

  it('when the server starts with no account, then its setup link makes the first coordinator, who invites a facilities user by email and imports the watch list and schools', async () => {
    // The one line the server printed: a single-use setup link.
    const printed = /Create the first coordinator at (\S+)/.exec(e2e.server.output());
    expect(printed, e2e.server.output()).to.not.equal(null);
    const setupPath = new URL(printed![1]!).pathname;
    expect(setupPath).to.match(/^\/setup\/[\w-]{43}$/);

    // Nobody can sign in yet; the setup page creates the coordinator and signs them in.
    const page = await e2e.newPage();
    await page.goto(setupPath);
    expect(await page.locator('h1').innerText()).to.equal('Set up Due Regard');
    await checkA11y(page, 'first-run setup');
    await waitForPage(page, () => page.getByRole('button', { name: 'Create account' }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Enter a name',
      'Enter an email address',
      'Enter a password',
    ]);
    await checkA11y(page, 'first-run setup with errors');
    await page.getByLabel('Full name').fill('Cleo Coordinator');
    await page.getByLabel('Email address').fill('cleo.coordinator@northbrook.test');
    await page.getByLabel('Password', { exact: true }).fill('northbrook prevent lead 2026');
    await page.getByLabel('Confirm password').fill('northbrook prevent lead 2026');
    await waitForPage(page, () => page.getByRole('button', { name: 'Create account' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Users');
    expect(await page.locator('.govuk-service-navigation').innerText()).to.include('Cleo Coordinator');

    // Used once: the link (and any other setup path) is gone.
    const again = await (await e2e.newPage()).goto(setupPath);
    expect(again?.status()).to.equal(404);

    // Invite a facilities officer: the email arrives at the mail server.
    await waitForPage(page, () => page.getByRole('button', { name: 'Add a user' }).click());
    await page.getByLabel('Full name').fill('Femi Facilities');
    await page.getByLabel('Email address').fill('femi.facilities@northbrook.test');
    await page.getByRole('group', { name: 'Role' }).getByLabel('Facilities').check();
    await waitForPage(page, () => page.getByRole('button', { name: 'Add user' }).click());
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include(
      'Invitation sent to femi.facilities@northbrook.test',
    );
    await checkA11y(page, 'users list after an invitation');
    const email = smtp.received.find((m) => m.to.includes('femi.facilities@northbrook.test'));
    expect(email, 'the invitation email').to.not.equal(undefined);
    expect(email!.subject).to.equal('You have been invited to Due Regard');
    expect(email!.decoded).to.include('Cleo Coordinator has given you an account');
    const link = /(http:\/\/\S+\/invitation\/[\w-]{43})/.exec(email!.decoded)![1]!;

    // They choose a password from the link and are signed in.
    const theirs = await e2e.newPage();
    await theirs.goto(new URL(link).pathname);
    expect(await theirs.locator('h1').innerText()).to.equal('Choose your password');
    await checkA11y(theirs, 'choose your password from an invitation');
    await theirs.getByLabel('Password', { exact: true }).fill('femi books the halls 2026');
    await theirs.getByLabel('Confirm password').fill('femi books the halls 2026');
    await waitForPage(theirs, () => theirs.getByRole('button', { name: 'Set password and sign in' }).click());
    expect(await theirs.locator('h1').innerText()).to.equal('Dashboard');
    expect(await theirs.locator('.govuk-service-navigation').innerText()).to.include('Femi Facilities');

    // The coordinator corrects the new user's name; a library manager would need a library (none yet).
    await waitForPage(page, () => page.getByRole('link', { name: 'Change Femi Facilities' }).click());
    expect(await page.locator('h1').innerText()).to.equal('Change Femi Facilities');
    await checkA11y(page, 'change a user');
    await page.getByRole('group', { name: 'Role' }).getByLabel('Library manager').check();
    await waitForPage(page, () => page.getByRole('button', { name: 'Save changes' }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'There are no libraries to manage yet: import the libraries first, then choose library manager',
    ]);
    await checkA11y(page, 'change a user with errors');
    await page.getByRole('group', { name: 'Role' }).getByLabel('Facilities').check();
    await page.getByLabel('Full name').fill('Femi Adeyemi');
    await waitForPage(page, () => page.getByRole('button', { name: 'Save changes' }).click());
    expect(await page.locator('tbody').innerText()).to.include('Femi Adeyemi');

    // The coordinator imports the watch list and a schools file in the browser.
    const watchlist = await importFile(
      page,
      'Watch list (simple list or OFSI consolidated list)',
      'watchlist_simple.csv',
      'Home Office proscribed organisations',
    );
    expect(watchlist).to.match(/To add\s+\d+/);
    const schools = await importFile(
      page,
      'Schools (DfE Get Information about Schools download)',
      'gias_2024_139.csv',
    );
    expect(schools).to.match(/To add\s+[1-9]/);
    await openFromNavigation(page, 'Imports');
    const history = await page.locator('table').innerText();
    expect(history).to.include('watchlist_simple.csv');
    expect(history).to.include('gias_2024_139.csv');
    expect(history).to.include('Cleo Coordinator');
    await checkA11y(page, 'imports with their history');
    await openFromNavigation(page, 'Schools');
    expect(await page.locator('h1').innerText()).to.equal('Schools');
  });
});
