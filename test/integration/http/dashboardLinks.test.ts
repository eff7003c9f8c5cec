import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp.js';

/** Every href="/…" on a page, other than the layout's own links. */
function subjectLinks(html: string): string[] {
  return [...html.matchAll(/href="(\/(?:premises|reviews)\/[^"]+)"/g)].map((m) => m[1]);
}

describe('HTTP: links on the dashboard', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('when a viewer reads the dashboard, then flags are listed but none links to a page they may not open', async () => {
    const a = await t.signIn('viewer@demo.test');
    const res = await a.get('/');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('govuk-table__caption');
    expect(subjectLinks(res.text)).to.deep.equal([]);
    expect(res.text).to.match(/Premises NB-\d{3}/);
  });

  it('when facilities staff read the dashboard, then each flag links to a page that opens for them', async () => {
    const a = await t.signIn('facilities@demo.test');
    const links = subjectLinks((await a.get('/')).text);
    expect(links.length).to.be.greaterThan(0);
    for (const href of links) expect((await a.get(href)).status, href).to.equal(200);
  });
});
