import { expect } from 'chai';
import { roles } from '../../../data/schemas/accountSchemas.js';
import { navGroups } from '../../../server/navigation.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';
import { demoEmail, routePolicy } from './routePolicy.js';

/** The links of every <nav> on a page (the service navigation and the section's pages). */
function navLinks(html: string): string[] {
  const out: string[] = [];
  for (const nav of html.matchAll(/<nav\b[^>]*>([\s\S]*?)<\/nav>/g))
    for (const a of (nav[1] ?? '').matchAll(/<a\b[^>]*href="([^"]+)"/g)) if (a[1]) out.push(a[1]);
  return out;
}

const areaPages = navGroups.flatMap((g) => g.pages.map((p) => p.href));

describe('Security: navigation and access agree (every area × every role)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  for (const role of roles) {
    it(`when ${role} follows the navigation, then it offers exactly the areas that open for them`, async () => {
      const agent = await t.signIn(demoEmail[role]);
      // Everything the navigation offers: the top row, and each group's pages as shown on its first page.
      const offered = new Set<string>();
      const top = navLinks((await agent.get('/')).text).filter((h) => areaPages.includes(h));
      for (const href of top) {
        offered.add(href);
        for (const link of navLinks((await agent.get(href)).text))
          if (areaPages.includes(link)) offered.add(link);
      }
      const wrong: string[] = [];
      for (const href of areaPages) {
        const res = await agent.get(href);
        const shown = offered.has(href);
        if (shown !== (res.status === 200))
          wrong.push(`${href}: ${shown ? 'offered' : 'not offered'}, answers ${res.status}`);
        if (!shown && res.status !== 403)
          wrong.push(`${href}: not offered, answers ${res.status} rather than 403`);
        // The route policy (checked against the app by the authorization matrix) says the same.
        const policy = routePolicy[`GET ${href}`];
        if (!policy) wrong.push(`${href}: no entry in routePolicy.ts`);
        else if ((policy.expect[role] === 200) !== shown)
          wrong.push(`${href}: routePolicy says ${policy.expect[role]}`);
      }
      expect(wrong, role).to.deep.equal([]);
    });
  }

  it('when the coordinator, who may open every area, reads the top row, then it has five groups, not thirteen pages', async () => {
    const agent = await t.signIn(demoEmail.coordinator);
    const html = (await agent.get('/')).text;
    const list = /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    const texts = [
      ...list.matchAll(/class="govuk-service-navigation__link"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*</g),
    ].map((m) => m[1]);
    expect(texts).to.deep.equal(['Dashboard', 'Compliance', 'Hall hire', 'People', 'Admin']);
  });

  it('when a page inside a group is open, then the group is marked current and its pages are listed with the page marked', async () => {
    const agent = await t.signIn(demoEmail.coordinator);
    const html = (await agent.get('/audit')).text;
    expect(html).to.match(
      /govuk-service-navigation__item--active">\s*<a[^>]*href="\/imports"[^>]*>\s*<strong[^>]*>Admin/,
    );
    const section = /<nav class="app-section-nav" aria-label="Admin">[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    expect(section).to.include('href="/reminders"').and.include('href="/tokens"');
    expect(section).to.match(/href="\/audit" aria-current="true">Audit log/);
  });
});
