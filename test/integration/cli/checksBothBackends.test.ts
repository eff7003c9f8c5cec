import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { runCliInProcess } from '../../support/runCliProcess.js';

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query(sql);
    if (res.rowCount !== 1) throw new Error(`Expected to change one row, changed ${res.rowCount}`);
  } finally {
    await client.end();
  }
}

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

  it('when demo then checks --json run on each backend, then both give the same flags, and both audit logs verify', async () => {
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
    // The demo's audit log verifies in PostgreSQL as in the file, entry for entry.
    const verifiedFile = await runCliInProcess(['audit', 'verify', ...file]);
    const verifiedPg = await runCliInProcess(['audit', 'verify', ...pg], env);
    expect(verifiedPg.code, verifiedPg.stderr).to.equal(0);
    expect(verifiedPg.stdout).to.match(/^Audit log intact: \d+ entries\.$/m);
    expect(verifiedPg.stdout).to.equal(verifiedFile.stdout);
    // An entry altered in the table is found.
    await admin(
      db.url,
      'UPDATE audit_log SET line = replace(line, \'"actor":"demo"\', \'"actor":"someone"\') WHERE seq = 3',
    );
    const broken = await runCliInProcess(['audit', 'verify', ...pg], env);
    expect(broken.code).to.equal(1);
    expect(broken.stderr).to.include('Audit log broken at line 3');
    // A second load into the PostgreSQL database is refused: it is not empty.
    expect((await runCliInProcess(['demo', ...pg, ...asOf], env)).code).to.equal(1);
  });
});
