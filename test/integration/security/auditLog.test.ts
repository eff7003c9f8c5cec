import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { Store } from '../../../data/store/store.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';
import { itemAt } from '../../../data/itemAt.js';

describe('Security: the audit log page', () => {
  let t: TestApp;
  let c: TestAgent;
  let clock: TestClock;
  /** Audit entries made on the first day (the demo and Alice's changes). */
  let dayOne = 0;
  before(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
    // 120 changes by two people on two days, so searching and paging have something to find.
    for (let i = 1; i <= 60; i++) {
      await t.store.transact('alice@demo.test', (tx) =>
        tx.insert('premises', premisesFields(`A-${i}`, { name: `Alice hall ${i}` })),
      );
    }
    dayOne = t.store.data.meta.auditSeq;
    clock.advanceMinutes(24 * 60);
    for (let i = 1; i <= 60; i++) {
      await t.store.transact('bob@demo.test', (tx) =>
        tx.insert('premises', premisesFields(`B-${i}`, { name: `=HYPERLINK("x") ${i}` })),
      );
    }
    c = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  it('when a coordinator opens /audit, then the newest 50 entries show with a link to the next page', async () => {
    const res = await c.get('/audit');
    expect(res.status).to.equal(200);
    const total = t.store.data.meta.auditSeq;
    expect(res.text).to.include(`Showing 1 to 50 of ${total} entries`);
    expect(res.text).to.include(`aria-label="Page ${Math.ceil(total / 50)}"`);
    expect((res.text.match(/<tr class="govuk-table__row">/g) ?? []).length).to.equal(51);
    expect(res.text).to.include('B-60');
    expect(res.text).to.include('rel="next"');
    const two = await c.get('/audit?page=2');
    expect(two.text).to.include('rel="prev"');
    expect(two.text).to.include(`Showing 51 to 100 of ${total} entries`);
    // Oldest first from the When header: the demo's first entries lead, the newest (B-60) are not there.
    expect(res.text).to.match(/aria-sort="descending"><a [^>]*>When/);
    const oldest = await c.get('/audit?sort=when&dir=asc');
    expect(oldest.text).to.match(/aria-sort="ascending"><a [^>]*>When/);
    expect(oldest.text).to.include(`Showing 1 to 50 of ${total} entries`);
    expect(oldest.text).not.to.include('B-60');
  });

  it('when searching by who, kind of record and record id, then only matching entries show', async () => {
    const res = await c.get('/audit?who=ALICE&collection=premises');
    expect(res.text).to.include('60 entries');
    expect(res.text).to.not.include('bob@demo.test');
    const one = t.store.list('premises').find((p) => p.ref === 'A-7')!;
    const byId = await c.get(`/audit?recordId=${one.id}`);
    expect(byId.text).to.include('1 entry');
    expect(byId.text).to.include('Alice hall 7');
  });

  it('when searching by dates, then entries outside the range are left out, and a wrong range is explained', async () => {
    const day1 = await c.get(
      '/audit?from-day=14&from-month=3&from-year=2026&to-day=14&to-month=3&to-year=2026',
    );
    // Day one: the demo and Alice's changes; day two: Bob's and the coordinator's sign-in (counted on the account).
    expect(day1.text).to.include(`${dayOne} entries from 14 March 2026 to 14 March 2026`);
    expect(day1.text).to.not.include('bob@demo.test');
    const day2 = await c.get('/audit?from-day=15&from-month=3&from-year=2026');
    expect(day2.text).to.include(`${t.store.data.meta.auditSeq - dayOne} entries from 15 March 2026`);
    expect(day2.text).to.not.include('alice@demo.test');
    const bad = await c.get(
      '/audit?from-day=20&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026',
    );
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('The to date must be the same as or after the from date');
    const notADate = await c.get('/audit?from-day=31&from-month=2&from-year=2026');
    expect(notADate.status).to.equal(400);
    expect(notADate.text).to.include('must be a real date');
  });

  it('when a coordinator exports, then the CSV has a BOM, every matching entry, neutralised formulas, no password hashes, and the export is itself logged', async () => {
    const before = t.store.data.meta.auditSeq;
    const res = await c.get('/audit/export.csv?who=bob');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="audit-log-2026-03-15.csv"$/);
    const text = res.text;
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).to.have.length(60);
    expect(rows[0]?.Who).to.equal('bob@demo.test');
    expect(text).to.not.match(/(^|,)=HYPERLINK/m);
    const all = await c.get('/audit/export.csv');
    expect(all.text).to.not.include('scrypt$');
    const last = t.store.data.meta.auditSeq;
    expect(last).to.be.greaterThan(before);
    // Read wherever the backend keeps the log (the file, or PostgreSQL's audit_log table).
    const note = itemAt(await t.store.auditSource.readAll(), before);
    expect(note).to.include({ action: 'export', collection: 'audit', actor: 'coordinator@demo.test' });
    expect(note.after).to.deep.equal({ rows: 60, filters: { who: 'bob' } });
  });

  it('when changes are made after the log was read, then the next search finds them too', async () => {
    const count = async () => {
      const text = (await c.get('/audit?who=carol')).text;
      return text.includes('No entries') ? 0 : Number(/(\d+) entr(y|ies)/.exec(text)?.[1]);
    };
    expect(await count()).to.equal(0);
    await t.store.transact('carol@demo.test', (tx) => tx.insert('premises', premisesFields('C-1')));
    await t.store.transact('carol@demo.test', (tx) => tx.insert('premises', premisesFields('C-2')));
    expect(await count()).to.equal(2);
  });

  it('when anyone but a coordinator asks for the audit log or its export, then it is refused', async () => {
    for (const email of ['facilities@demo.test', 'viewer@demo.test', 'education@demo.test']) {
      const a = await t.signIn(email);
      expect((await a.get('/audit')).status, email).to.equal(403);
      expect((await a.get('/audit/export.csv')).status, email).to.equal(403);
    }
  });
});

describe('CLI: audit verify finds an altered, removed or reordered entry', () => {
  const folders = tempFolders('audit-verify');
  let db: string;
  let auditPath: string;
  beforeEach(async () => {
    db = join(folders.make(), 'council.json');
    const store = await Store.open(db);
    for (let i = 1; i <= 5; i++) {
      await store.transact('someone@demo.test', (tx) => tx.insert('premises', premisesFields(`R-${i}`)));
    }
    auditPath = store.auditPath;
    await store.close();
  });
  after(() => folders.cleanUp());

  const lines = () => readFileSync(auditPath, 'utf8').trimEnd().split('\n');
  const write = (ls: string[]) => writeFileSync(auditPath, `${ls.join('\n')}\n`);
  const verify = () => runCliInProcess(['audit', 'verify', '--db', db]);

  it('when nothing was touched, then it exits 0 and says how many entries it checked', async () => {
    const r = await verify();
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Audit log intact: 5 entries.');
  });

  it('when an entry is altered, then it exits 1 naming that entry', async () => {
    const ls = lines();
    ls[2] = itemAt(ls, 2).replace('someone@demo.test', 'nobody@demo.test');
    write(ls);
    const r = await verify();
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('Audit log broken at line 3: entry 3 (line 3) was altered');
  });

  it('when an entry is removed, then it exits 1 naming the first entry out of place', async () => {
    const ls = lines();
    ls.splice(1, 1);
    write(ls);
    const r = await verify();
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('entry 3 (line 2) is out of place: expected entry 2');
  });

  it('when two entries are swapped, then it exits 1 naming the first entry out of place', async () => {
    const ls = lines();
    [ls[3], ls[4]] = [itemAt(ls, 4), itemAt(ls, 3)];
    write(ls);
    const r = await verify();
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('entry 5 (line 4) is out of place: expected entry 4');
  });

  it('when the last entry is removed, then it exits 1 because the database expects more', async () => {
    write(lines().slice(0, 4));
    const r = await verify();
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('entries were removed from the end');
  });
});
