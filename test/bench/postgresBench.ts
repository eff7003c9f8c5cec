import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgStore } from '../../data/pg/pgStore.js';
import { moveToPostgres } from '../../jobs/moveToPostgres.js';

/** SPEC §18: the PostgreSQL figures, added to the bench's object when DATABASE_URL is set. */
export interface PostgresFigures {
  writeP99Ms: number;
  visibleP99Ms: number;
  dashboardRatio: number;
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.99 * s.length) - 1)] ?? Number.NaN;
};
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * A bench database of its own on the DATABASE_URL server (made, then dropped), holding the same borough
 * the file-store figures were measured on, copied by `move-to-postgres` (which verifies it).
 */
export async function benchPgDatabase(serverUrl: string, dbPath: string) {
  const name = `dueregard_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const moveStarted = performance.now();
  await moveToPostgres(dbPath, url.toString());
  return {
    url: url.toString(),
    moveMs: performance.now() - moveStarted,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Single saved changes through one instance, alternately a premises and a booking edit, each timed until
 * committed; and for each, the time until a SECOND instance (its own pool and LISTEN connection, following
 * the database as a server does) holds the change in memory, timed from the moment the first acknowledged it.
 */
export async function pgWriteFigures(
  url: string,
  dbPath: string,
  seconds: number,
  say: (line: string) => void,
): Promise<{ writeP99Ms: number; visibleP99Ms: number }> {
  const writer = await PgStore.open(url, { path: dbPath });
  const reader = await PgStore.open(url, { path: dbPath, write: false });
  try {
    const premises = writer.list('premises').map((p) => p.id);
    const bookings = writer.list('bookings').map((b) => b.id);
    const writes: number[] = [];
    const visible: number[] = [];
    const until = performance.now() + seconds * 1000;
    for (let i = 0; performance.now() < until || writes.length < 100; i++) {
      const text = `Bench edit ${i}`;
      const premisesId = premises[(i >> 1) % premises.length];
      const bookingId = bookings[(i >> 1) % bookings.length];
      if (!premisesId || !bookingId) throw new Error('the bench borough has premises and bookings');
      const t0 = performance.now();
      if (i % 2 === 0)
        await writer.transact('bench', (tx) => tx.update('premises', premisesId, { riskRationale: text }));
      else await writer.transact('bench', (tx) => tx.update('bookings', bookingId, { purpose: text }));
      const acked = performance.now();
      writes.push(acked - t0);
      const seen = () =>
        i % 2 === 0
          ? reader.get('premises', premisesId)?.riskRationale === text
          : reader.get('bookings', bookingId)?.purpose === text;
      while (!seen()) {
        if (performance.now() - acked > 5_000)
          throw new Error('The second instance did not see a change in 5 s');
        await new Promise((r) => setTimeout(r, 1));
      }
      visible.push(performance.now() - acked);
    }
    say(
      `postgres write: ${writes.length} single edits in ${seconds} s: p50 ${p50(writes).toFixed(1)} ms, p99 ${p99(writes).toFixed(1)} ms; seen by a second instance after p50 ${p50(visible).toFixed(1)} ms, p99 ${p99(visible).toFixed(1)} ms`,
    );
    return {
      writeP99Ms: Math.round(p99(writes) * 100) / 100,
      visibleP99Ms: Math.round(p99(visible) * 100) / 100,
    };
  } finally {
    await reader.close();
    await writer.close();
  }
}
