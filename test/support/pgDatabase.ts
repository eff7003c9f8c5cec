import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Real PostgreSQL for tests. `PG_TEST_URL` names the server (default: the local cluster, trust auth);
 * each call makes a new, empty database and returns its URL and a drop function, so suites never share
 * state and can run side by side. `.ci/run` starts the cluster if it is down.
 */
export const PG_TEST_SERVER = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPgDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(PG_TEST_SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestPgDatabase(label = 'test'): Promise<TestPgDatabase> {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `dr_${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: urlFor(name),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True when the test server answers; suites that need it fail loudly otherwise (CI starts it). */
export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_TEST_SERVER, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
