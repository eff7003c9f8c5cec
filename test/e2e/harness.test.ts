import { rmSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { checkA11y, launchBrowser } from './support/e2e.js';

const page = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>Harness check</title></head><body><main>${body}</main></body></html>`;

// The checks every journey relies on must be able to fail, or a green run proves nothing.
describe('Harness: the accessibility check itself', () => {
  let browser: Browser;
  let context: BrowserContext;
  before(async () => {
    browser = await launchBrowser();
    // AxeBuilder needs a page from browser.newContext(), not browser.newPage().
    context = await browser.newContext();
  });
  after(() => browser.close());

  it('when a page is accessible, then checkA11y passes', async () => {
    const p = await context.newPage();
    await p.setContent(
      page('<h1>Fine</h1><label for="name">Name</label><input id="name" name="name" type="text">'),
    );
    await checkA11y(p, 'harness self-test: accessible page');
    await p.close();
  });

  it('when a page breaks WCAG (an input without a label, a second <h1>), then checkA11y fails naming each problem', async () => {
    const p = await context.newPage();
    await p.setContent(page('<h1>One</h1><h1>Two</h1><input name="unlabelled" type="text">'));
    let message = '';
    try {
      await checkA11y(p, 'harness self-test: deliberately broken page');
    } catch (err) {
      message = (err as Error).message;
    }
    await p.close();
    expect(message).to.include('1 axe violation(s)');
    expect(message).to.match(/\[critical\] label: /);
    expect(message).to.include('<input name="unlabelled" type="text">');
    expect(message).to.include('one <h1> per page: found 2 ("One", "Two")');
    const saved = [...message.matchAll(/(?:screenshot|html): (\S+)/g)].map((m) => m[1] ?? '');
    expect(saved).to.have.length(2);
    expect(saved[0]).to.match(/test-results.*\.png$/);
    // Evidence of a deliberate failure would only mislead whoever reads test-results/ next.
    for (const f of saved) rmSync(f);
  });
});
