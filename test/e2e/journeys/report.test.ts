import { expect } from 'chai';
import { checkA11y, demoEmails, signIn, useE2e, openFromNavigation } from '../support/e2e.js';

describe('Journey: the board report', () => {
  const e2e = useE2e();

  it('when the coordinator opens the report and downloads it, then each format arrives', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.coordinator);
    await openFromNavigation(page, 'Report');
    await checkA11y(page, 'board report page');
    const text = await page.locator('main').innerText();
    expect(text).to.match(/Premises audited/i);
    expect(text).to.match(/Training/);
    for (const [name, start] of [
      [/PDF document/, '%PDF'],
      [/Spreadsheet \(CSV/, '\uFEFF'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name }).click(),
      ]);
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString('utf8').startsWith(start), String(name)).to.equal(true);
    }
  });

  it('when a viewer reads the report, then it shows the figures and no hirer or speaker names', async () => {
    const page = await e2e.newPage();
    await signIn(page, demoEmails.viewer);
    await openFromNavigation(page, 'Report');
    await checkA11y(page, 'board report for a viewer');
    const text = await page.locator('main').innerText();
    expect(text).to.match(/Premises audited/i);
    expect(text).to.not.match(/Example Front/i);
  });
});
