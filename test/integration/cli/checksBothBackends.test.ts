import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { runCliInProcess } from '../../support/runCliProcess.js';

/**
 * Flags without the records' ids, which each demo load makes afresh (an action's ref is its id), in a
 * fixed order (flags due the same day are ordered by id).
 */
function withoutIds(json: string): string[] {
  return (JSON.parse(json) as { subject: { type: string; id?: string; ref?: string } }[])
    .map((f) => {
      const { id: _id, ref, ...subject } = f.subject;
      return JSON.stringify({ ...f, subject: f.subject.type === 'action' ? subject : { ...subject, ref } });
    })
    .sort();
}

describe('CLI: the demo and its flags are the same on the file store and on PostgreSQL', function () {
  this.timeout(120_000);
  let db: TestPgDatabase;
  let dir: string;
  before(async () => {
    db = await createTestPgDatabase('checks');
    dir = mkdtempSync(join(tmpdir(), 'dueregard-checks-'));
  });
  after(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when demo then checks --json run on each backend, then both give the same flags', async () => {
    const asOf = ['--as-of', '2026-06-15'];
    const file = ['--db', join(dir, 'file.json')];
    const pg = ['--db', join(dir, 'pg.json')];
    const env = { DATABASE_URL: db.url };
    const loadedFile = await runCliInProcess(['demo', ...file, ...asOf]);
    expect(loadedFile.code, loadedFile.stderr).to.equal(0);
    const loadedPg = await runCliInProcess(['demo', ...pg, ...asOf], env);
    expect(loadedPg.code, loadedPg.stderr).to.equal(0);
    expect(loadedPg.stdout).to.include('into the PostgreSQL database');

    const fromFile = await runCliInProcess(['checks', '--json', ...file, ...asOf]);
    const fromPg = await runCliInProcess(['checks', '--json', ...pg, ...asOf], env);
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    expect(fromPg.code, fromPg.stderr).to.equal(0);
    const flags = withoutIds(fromFile.stdout);
    expect(flags.length).to.be.greaterThan(5);
    expect(withoutIds(fromPg.stdout)).to.deep.equal(flags);
    // A second load into the PostgreSQL database is refused: it is not empty.
    expect((await runCliInProcess(['demo', ...pg, ...asOf], env)).code).to.equal(1);
  });
});
