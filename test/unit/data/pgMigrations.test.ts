import { expect } from 'chai';
import { appliedPgVersions, migratePg, type PgMigration } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

describe('PostgreSQL schema steps', () => {
  let db: TestPgDatabase;
  let pool: PgPool;
  const steps: PgMigration[] = [
    { version: 1, name: 'things', sql: 'CREATE TABLE things (id text PRIMARY KEY)' },
    { version: 2, name: 'thing names', sql: 'ALTER TABLE things ADD COLUMN name text' },
  ];

  beforeEach(async () => {
    db = await createTestPgDatabase('migrations');
    pool = createPgPool(db.url);
  });
  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies each step once, in order, and records it', async () => {
    expect(await appliedPgVersions(pool)).to.deep.equal([]);
    expect(await migratePg(pool, steps)).to.deep.equal([1, 2]);
    expect(await migratePg(pool, steps)).to.deep.equal([]);
    expect(await appliedPgVersions(pool)).to.deep.equal([1, 2]);
    await pool.query("INSERT INTO things (id, name) VALUES ('a', 'Hall')");
  });

  it('two instances starting at once apply each step exactly once', async () => {
    const other = createPgPool(db.url);
    try {
      const [a, b] = await Promise.all([migratePg(pool, steps), migratePg(other, steps)]);
      expect([...a, ...b].sort()).to.deep.equal([1, 2]);
    } finally {
      await other.end();
    }
  });

  it('a failing step is rolled back, named, and leaves earlier steps in place', async () => {
    const bad: PgMigration[] = [
      steps[0] as PgMigration,
      { version: 2, name: 'broken', sql: 'ALTER TABLE nope ADD x int' },
    ];
    let error: Error | null = null;
    await migratePg(pool, bad).catch((err: Error) => {
      error = err;
    });
    expect(String(error)).to.contain('step 2 (broken)');
    expect(await appliedPgVersions(pool)).to.deep.equal([1]);
  });

  it('refuses steps out of order', async () => {
    const swapped = [steps[1] as PgMigration, steps[0] as PgMigration];
    let error: Error | null = null;
    await migratePg(pool, swapped).catch((err: Error) => {
      error = err;
    });
    expect(String(error)).to.contain('out of order');
    expect(await appliedPgVersions(pool)).to.deep.equal([]);
  });
});
