import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratePg } from '../../data/pg/pgMigrations.js';
import { createPgPool } from '../../data/pg/pgPool.js';

/**
 * Real PostgreSQL for tests. `PG_TEST_URL` names the server (default: the local cluster, trust auth);
 * each call gives a database of its own, empty (or with `migrated`, every schema step applied) and not
 * shared with any other test while it is held, with its URL and a drop function, so suites never share
 * state and can run side by side. `.ci/run` starts the cluster if it is down.
 *
 * In a mocha run (`test/support/rootHooks.ts` calls `reuseDatabases()`), "drop" gives the database back
 * to this process instead: in the background its connections are ended and every schema in it dropped
 * (then migrated again when it was asked for migrated), and the next call takes it, already clean. A
 * CREATE DATABASE costs a few hundred ms and a DROP forces a checkpoint (most of a second here); the reset
 * is tens of ms. The run's last hook drops them all. See docs/postgresql.md.
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

const uniqueName = (label: string) =>
  `dr_${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A database given back: `clean` resolves true once it is reset (false: it could not be, so it is dropped). */
interface Returned {
  name: string;
  clean: Promise<boolean>;
}

let reusing = false;
/** Every database this process made: the run's end drops them all, even one a test never gave back. */
const made = new Set<string>();
/** Databases given back, by kind: reset to empty, or reset and migrated. */
const returned: Record<'empty' | 'migrated', Returned[]> = { empty: [], migrated: [] };

/** A new database, or with reuse on, one given back and reset to the same kind. */
export async function createTestPgDatabase(
  label = 'test',
  opts: { migrated?: boolean } = {},
): Promise<TestPgDatabase> {
  const kind = opts.migrated ? 'migrated' : 'empty';
  let name: string | null = null;
  for (let r = returned[kind].shift(); r && !name; r = returned[kind].shift())
    if (await r.clean) name = r.name;
  if (!name) {
    name = uniqueName(label);
    await admin(`CREATE DATABASE ${name}`);
    made.add(name);
    if (opts.migrated) await migrate(urlFor(name));
  }
  const held = name;
  let given = false;
  return {
    url: urlFor(held),
    name: held,
    drop: async () => {
      // Given back once only: a second drop must not hand one database to two tests.
      if (given) return;
      given = true;
      if (reusing) returned[kind].push({ name: held, clean: reset(held, opts.migrated === true) });
      else await admin(dropSql(held));
    },
  };
}

const dropSql = (name: string) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;

async function migrate(url: string): Promise<void> {
  const pool = createPgPool(url, { max: 1 });
  try {
    await migratePg(pool);
  } finally {
    await pool.end();
  }
}

/** Ends every connection to the database, drops every schema in it and makes `public` again (migrated). */
async function reset(name: string, migrated: boolean): Promise<boolean> {
  try {
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
    const client = new pg.Client({ connectionString: urlFor(name) });
    await client.connect();
    try {
      const schemas = await client.query<{ nspname: string }>(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
      );
      const drop = schemas.rows.map((r) => `DROP SCHEMA "${r.nspname}" CASCADE;`).join(' ');
      await client.query(`${drop} CREATE SCHEMA public;`);
    } finally {
      await client.end();
    }
    if (migrated) await migrate(urlFor(name));
    return true;
  } catch {
    await admin(dropSql(name)).catch(() => {});
    return false;
  }
}

/** From now on a dropped database is reset and reused (a mocha run, whose last hook calls `dropReused`). */
export function reuseDatabases(): void {
  reusing = true;
}

/** Drops every database this process made (those given back once their reset is done). */
export async function dropReused(): Promise<void> {
  const all = [...returned.empty.splice(0), ...returned.migrated.splice(0)];
  for (const r of all) await r.clean;
  for (const name of [...made]) {
    await admin(dropSql(name));
    made.delete(name);
  }
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
