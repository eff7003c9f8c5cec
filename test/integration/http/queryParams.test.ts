import { expect } from 'chai';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

describe('HTTP: query parameters never override validated values (SPEC §10)', () => {
  let t: TestApp;
  let coordinator: TestAgent;
  before(async () => {
    t = await startTestApp({ today: '2026-03-14' });
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  const flagCount = (html: string) => (html.match(/<tr class="govuk-table__row"/g) ?? []).length;

  it('when the dashboard is asked with today in the query, then the checked dates stand', async () => {
    const plain = await coordinator.get('/');
    const sneaky = await coordinator.get('/?today=not-a-date&asof=1999-01-01');
    expect(sneaky.status).to.equal(200);
    expect(flagCount(plain.text)).to.be.greaterThan(1);
    expect(flagCount(sneaky.text)).to.equal(flagCount(plain.text));
    expect(sneaky.text).not.to.include('not-a-date');
  });

  for (const bad of ['2026-02-30', 'yesterday', '2026-3-1', '<script>']) {
    it(`when the dashboard is asked for as_of=${bad}, then 400 with a page naming the parameter`, async () => {
      const res = await coordinator.get(`/?as_of=${encodeURIComponent(bad)}`);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('The as_of parameter must be a real date like 2026-03-14');
      expect(res.text).not.to.include('<script>');
    });
  }

  it('when as_of is given twice, then 400 rather than a guess', async () => {
    const res = await coordinator.get('/?as_of=2026-03-14&as_of=2026-03-15');
    expect(res.status).to.equal(400);
  });

  it('when /api/flags is asked for a bad as_of, then 400 JSON naming the parameter; a good one answers', async () => {
    const bad = await coordinator.get('/api/flags?as_of=2026-13-01');
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal({ error: 'The as_of parameter must be a real date like 2026-03-14' });
    const good = await coordinator.get('/api/flags?as_of=2026-03-14');
    expect(good.status).to.equal(200);
    expect(good.body).to.be.an('array');
  });

  it('when the dashboard is asked for asOf=07/12/2026, then a 400 page with an error summary, never a 500', async () => {
    const res = await coordinator.get('/?asOf=07%2F12%2F2026');
    expect(res.status).to.equal(400);
    expect(res.text).to.include('govuk-error-summary');
    expect(res.text).to.include('href="#asOf-day"');
    expect(res.text).to.include('The date to show the dashboard as of must be a real date');
    expect(res.text).not.to.match(/at \S+\.(ts|js):\d+/);
  });

  it('when the dashboard’s "as of" date input is given a day, month and year, then it shows the dashboard as of that date', async () => {
    const res = await coordinator.get('/?asOf-day=1&asOf-month=2&asOf-year=2026');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('as of 1 February 2026');
    expect(res.text).to.match(/id="asOf-day" name="asOf-day" type="text" value="1"/);
    expect(res.text).to.match(/id="asOf-month" name="asOf-month" type="text" value="2"/);
  });

  it('when the "as of" date input is not a real date, then 400 with the error by the field and what was typed kept', async () => {
    const res = await coordinator.get('/?asOf-day=31&asOf-month=2&asOf-year=2026&severity=high');
    expect(res.status).to.equal(400);
    expect(res.text).to.include('govuk-error-summary');
    expect(res.text).to.include('govuk-form-group--error');
    expect(res.text).to.match(/name="asOf-day" type="text" value="31"/);
    expect(res.text).to.match(/name="asOf-month" type="text" value="2"/);
    expect(res.text).to.include('name="severity" value="high"');
  });
});
