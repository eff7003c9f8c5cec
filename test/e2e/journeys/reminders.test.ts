import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkA11y, demoEmails, signIn, useE2e, waitForPage, openFromNavigation } from '../support/e2e.js';

describe('Journey: the reminder log and a calendar feed', () => {
  const e2e = useE2e();

  it('when the coordinator opens Reminders and sends now, then the pending emails go out (to the outbox) and are listed as sent', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'Reminders');
    expect(await page.locator('h1').innerText()).to.equal('Reminders');
    expect(await page.locator('#pending + table tbody tr').count()).to.be.greaterThan(0);
    await checkA11y(page, 'reminder log before a run');

    await waitForPage(page, () => page.getByRole('button', { name: 'Send due reminders now' }).click());
    expect(await page.locator('.govuk-notification-banner').innerText()).to.include('Reminder run finished');
    expect(await page.locator('#pending + p').innerText()).to.equal('Nothing is waiting to be sent.');
    const sentRows = await page.locator('#sent + table tbody tr').count();
    expect(sentRows).to.be.greaterThan(0);
    await checkA11y(page, 'reminder log after a run');
    const outbox = join(e2e.server.dir, 'var', 'outbox');
    expect(existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0).to.equal(
      sentRows,
    );
  });

  it('when a user creates a calendar link, then it is shown once, serves iCalendar, and a new link kills the old one', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.facilities);
    await waitForPage(page, () => page.getByRole('link', { name: /your account/ }).click());
    await waitForPage(page, () =>
      page.getByRole('link', { name: 'Subscribe to your due dates in your calendar' }).click(),
    );
    expect(await page.locator('h1').innerText()).to.equal('Your calendar feed');
    await checkA11y(page, 'calendar page without a link');

    await waitForPage(page, () => page.getByRole('button', { name: 'Create a calendar link' }).click());
    const url = (await page.locator('#calendar-url').innerText()).trim();
    expect(url).to.match(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await checkA11y(page, 'calendar link shown once');

    const feed = await page.request.get(new URL(url).pathname);
    expect(feed.status()).to.equal(200);
    expect(feed.headers()['content-type']).to.match(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).to.equal(true);
    expect(ics).to.match(/DTSTART;VALUE=DATE:\d{8}/);

    await page.reload();
    expect(await page.locator('#calendar-url').count()).to.equal(0);
    await waitForPage(page, () => page.getByRole('button', { name: 'Create a new calendar link' }).click());
    const newUrl = (await page.locator('#calendar-url').innerText()).trim();
    expect(newUrl).not.to.equal(url);
    expect((await page.request.get(new URL(url).pathname)).status()).to.equal(404);
    expect((await page.request.get(new URL(newUrl).pathname)).status()).to.equal(200);
  });
});
