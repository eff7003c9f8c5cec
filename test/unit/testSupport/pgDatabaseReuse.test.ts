import { expect } from 'chai';
import pg from 'pg';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tablesOf = async (db: TestPgDatabase) =>
  (
    await query<{ t: string }>(
      db.url,
      "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
  ).map((r) => r.t);

/**
 * Test databases given back in a mocha run are reset and handed out again (test/support/pgDatabase.ts):
 * the next holder must find it exactly as a new one, and nobody still connected.
 */
describe('Test PostgreSQL databases reused within a run', () => {
  const held: TestPgDatabase[] = [];
  after(async () => {
    for (const db of held.splice(0)) await db.drop();
  });

  it('when an empty database is given back after use, then the next one asked for has no table, schema or connection left', async () => {
    const first = await createTestPgDatabase('reuse');
    await query(
      first.url,
      'CREATE SCHEMA extra; CREATE TABLE extra.kept (x int); CREATE TABLE left_over (x int)',
    );
    const lingering = new pg.Client({ connectionString: first.url });
    await lingering.connect();
    lingering.on('error', () => {});
    await first.drop();
    const next = await createTestPgDatabase('reuse');
    held.push(next);
    expect(next.name, 'the same database, reused').to.equal(first.name);
    expect(await tablesOf(next)).to.deep.equal([]);
    const others = await query<{ n: string }>(
      next.url,
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${next.name}' AND pid <> pg_backend_pid()`,
    );
    expect(Number(others[0]?.n), 'connections of the last holder ended').to.equal(0);
    await lingering.end().catch(() => {});
  });

  it('when a migrated database is given back with records in it, then the next migrated one has the schema steps and no records', async () => {
    const first = await createTestPgDatabase('reuse', { migrated: true });
    const tables = await tablesOf(first);
    expect(tables).to.include('public.records').and.to.include('public.schema_migrations');
    await query(
      first.url,
      "INSERT INTO records (collection, id, rev, body) VALUES ('premises', 'p1', 1, '{}')",
    );
    await first.drop();
    const next = await createTestPgDatabase('reuse', { migrated: true });
    held.push(next);
    expect(next.name).to.equal(first.name);
    expect(await tablesOf(next)).to.deep.equal(tables);
    expect(await query(next.url, 'SELECT * FROM records')).to.deep.equal([]);
    const head = await query<{ rev: string }>(next.url, 'SELECT rev FROM store_head');
    expect(head.map((r) => Number(r.rev))).to.deep.equal([0]);
  });
});
