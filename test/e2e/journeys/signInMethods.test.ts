import { itemAt } from '../../../data/itemAt.js';
import { createServer } from 'node:net';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { totpCodeAt } from '../../../server/auth/totp.js';
import { startTestIdp, type TestIdp } from '../../support/oidcTestProvider.js';
import { checkA11y, demoEmails, launchBrowser, signIn, useE2e, waitForPage } from '../support/e2e.js';
import { type E2eServer, startE2eServer } from '../support/e2eServer.js';

/** The 6-digit code the person's authenticator app shows now for the secret on the enrolment page. */
async function codeFor(page: Page): Promise<{ secret: string; code: string }> {
  const secret = (await page.locator('#secret-key').innerText()).replace(/\s/g, '');
  return { secret, code: totpCodeAt(secret, Date.now()) };
}

describe('Journey: two-factor authentication with an authenticator app', () => {
  const e2e = useE2e();

  it('when a coordinator sets up two-factor, then the next sign-in asks for the security code (and a recovery code works instead), every page axe-clean', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await page.goto('/account');
    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Set up two-factor authentication' }).click(),
    );
    expect(await page.locator('h1').innerText()).to.equal('Set up two-factor authentication');
    expect(
      await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).count(),
    ).to.equal(1);
    await checkA11y(page, 'two-factor enrolment');

    await page.getByLabel('Security code').fill('123');
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Turn on two-factor authentication' }).click(),
    );
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'The security code must be 6 numbers',
    ]);
    await checkA11y(page, 'two-factor enrolment with an error');

    const { secret, code } = await codeFor(page);
    await page.getByLabel('Security code').fill(code);
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Turn on two-factor authentication' }).click(),
    );
    expect(await page.locator('h1').innerText()).to.equal('Two-factor authentication is on');
    const codes = await page.locator('#recovery-codes code').allInnerTexts();
    expect(codes).to.have.length(10);
    await checkA11y(page, 'recovery codes');
    await page.goto('/account/two-factor');
    expect(await page.locator('h1').innerText()).to.equal('Two-factor authentication');
    await checkA11y(page, 'two-factor status');

    await waitForPage(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    await page.getByLabel('Email address').fill(demoEmails.coordinator);
    await page.getByLabel('Password').fill('DueRegard-demo-1');
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    expect(new URL(page.url()).pathname).to.equal('/login/two-factor');
    const field = page.getByLabel('Enter the security code');
    expect(await field.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(await field.getAttribute('inputmode')).to.equal('numeric');
    await checkA11y(page, 'security code page');
    await field.fill('000000');
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await page.locator('.govuk-error-summary a').first().innerText()).to.include(
      'The security code is not right',
    );
    await checkA11y(page, 'security code page with an error');

    await waitForPage(page, () =>
      page.getByRole('link', { name: 'I cannot use my authenticator app' }).click(),
    );
    await checkA11y(page, 'recovery code page');
    await page.getByLabel('Enter a recovery code').fill(itemAt(codes, 0));
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(new URL(page.url()).pathname).to.equal('/');
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include('You have 9 left');

    // And the app's code. The enrolment code's 30-second step is used up (a code is accepted once), so this
    // is the next step's code, as a phone whose clock runs a little fast shows it (one step is tolerated).
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    await page.getByLabel('Email address').fill(demoEmails.coordinator);
    await page.getByLabel('Password').fill('DueRegard-demo-1');
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    await page.getByLabel('Enter the security code').fill(totpCodeAt(secret, Date.now() + 30_000));
    await waitForPage(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(new URL(page.url()).pathname).to.equal('/');
  });
});

/** A port free now, for a server that must know its own address (the provider's callback) before it starts. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('Journey: single sign-on with the council account', () => {
  let idp: TestIdp;
  let server: E2eServer;
  let browser: Browser;
  let base = '';

  before(async function () {
    this.timeout(120_000);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startTestIdp({ redirectUri: () => `${base}/auth/callback` });
    [server, browser] = await Promise.all([
      startE2eServer({
        env: {
          PORT: String(port),
          BASE_URL: base,
          OIDC_ISSUER: idp.issuer,
          OIDC_CLIENT_ID: idp.clientId,
          OIDC_CLIENT_SECRET: idp.clientSecret,
          OIDC_ONLY: 'true',
          BREAK_GLASS_EMAIL: demoEmails.coordinator,
        },
      }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await idp?.close();
  });

  async function newPage() {
    const ctx = await browser.newContext({ baseURL: base });
    ctx.setDefaultTimeout(10_000);
    return ctx.newPage();
  }

  it('when a library manager signs in with their council account, then they land signed in; someone without an account is told to ask a coordinator', async () => {
    const page = await newPage();
    await page.goto('/login');
    await checkA11y(page, 'sign-in page with single sign-on only');
    // Under OIDC_ONLY the password form is tucked away for the break-glass coordinator.
    await page.getByText('Emergency sign-in with a password').click();
    await page.getByLabel('Email address').fill(demoEmails.facilities);
    await page.getByLabel('Password').fill('DueRegard-demo-1');
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click());
    expect(await page.locator('.govuk-error-summary a').allInnerTexts()).to.deep.equal([
      'Sign in with your council account. Password sign-in is for emergency access only',
    ]);
    await checkA11y(page, 'emergency sign-in refused');
    idp.signInAs({ sub: 'lib-1', email: demoEmails.libraryManager, email_verified: true });
    await waitForPage(page, () =>
      page.getByRole('button', { name: 'Sign in with your council account' }).click(),
    );
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('link', { name: 'Libraries' }).count()).to.be.greaterThan(0);
    await waitForPage(page, () => page.getByRole('button', { name: 'Sign out' }).click());

    const stranger = await newPage();
    await stranger.goto('/login');
    idp.signInAs({ sub: 'new-1', email: 'new.starter@council.example', email_verified: true });
    await stranger.getByRole('button', { name: 'Sign in with your council account' }).click();
    await stranger.waitForURL(/\/auth\/callback/);
    expect(await stranger.locator('h1').innerText()).to.equal('You do not have an account');
    expect(await stranger.locator('.govuk-inset-text').innerText()).to.include('new.starter@council.example');
    await checkA11y(stranger, 'no account page');
  });
});
