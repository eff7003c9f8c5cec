/**
 * Benchmarks (SPEC §9): `npm run bench [-- --quick] [-- --json]`.
 *
 * Measures what exists so far on generated premises data: a saved change's p99 at borough scale, flag
 * computation and how it grows with data, and the dashboard's requests per second against a bare Express
 * "hello" route in the same run (autocannon, loopback). Figures for areas not built yet are null; `notes`
 * says what each figure covers. `--json` prints the SPEC §9 object as the last line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { computeFlags } from '../../checks/flags/computeFlags.js';
import { londonDate } from '../../checks/londonDates.js';
import { type Db, emptyDb } from '../../data/dbSchema.js';
import { Store } from '../../data/store/store.js';
import { setUpDemo } from '../../server/services/demoSetup.js';
import { HttpVisitor, startServer } from '../support/serverProcess.js';
import { generatePremisesData } from './premisesGenerator.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface BenchResult {
  dashboard: { rps: number; bareRps: number; ratio: number; p99Ms: number } | null;
  flagsNational: { records: number; ms: number } | null;
  flagsScaling: { smallMs: number; largeMs: number; sizeRatio: number; timeRatio: number } | null;
  writeP99Ms: number | null;
  giasImport: { rows: number; ms: number; parseOnlyMs: number; ratio: number } | null;
  notes: string[];
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

function dataWith(count: number, asOf: string): Db {
  const db = emptyDb();
  const { premises, reviews, actions } = generatePremisesData(count, asOf);
  db.premises = premises;
  db.reviews = reviews;
  db.actions = actions;
  return db;
}

function recordsIn(db: Db): number {
  return Object.values(db as unknown as Record<string, unknown>).reduce<number>(
    (n, v) => n + (Array.isArray(v) ? v.length : 0),
    0,
  );
}

/** Best of `runs` timings (after one warm-up): the least disturbed by other work on the machine. */
function bestMs(fn: () => unknown, runs: number): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function startBareExpress(): Promise<{ child: ChildProcess; url: string }> {
  const code = `import express from 'express';
const app = express();
app.get('/', (_req, res) => { res.send('hello'); });
const server = app.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (c) => reject(new Error(`bare Express exited ${c}`)));
  });
}

async function cannon(url: string, seconds: number, headers: Record<string, string> = {}) {
  await autocannon({ url, connections: 10, duration: 1, headers }); // warm-up
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p99Ms: r.latency.p99 };
}

async function main() {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const quick = Boolean(values.quick);
  const size = quick
    ? { borough: 200, flagsSmall: 2_000, flagsLarge: 20_000, writes: 100, seconds: 3 }
    : { borough: 1_000, flagsSmall: 10_000, flagsLarge: 100_000, writes: 500, seconds: 10 };
  const asOf = londonDate(new Date());
  const say = (line: string) => console.log(line);
  const notes: string[] = [];
  const result: BenchResult = {
    dashboard: null,
    flagsNational: null,
    flagsScaling: null,
    writeP99Ms: null,
    giasImport: null,
    notes,
  };
  say(`Due Regard bench${quick ? ' (quick)' : ''}; load average ${loadavg()[0].toFixed(1)}`);

  // Flags: the same rules over N and 10N premises (with their audits and actions).
  const small = dataWith(size.flagsSmall, asOf);
  const large = dataWith(size.flagsLarge, asOf);
  const smallMs = bestMs(() => computeFlags(small, asOf), 5);
  const largeMs = bestMs(() => computeFlags(large, asOf), 3);
  const sizeRatio = recordsIn(large) / recordsIn(small);
  result.flagsScaling = {
    smallMs: round(smallMs),
    largeMs: round(largeMs),
    sizeRatio: round(sizeRatio),
    timeRatio: round(largeMs / smallMs),
  };
  say(
    `flags: ${recordsIn(small)} records ${smallMs.toFixed(1)} ms, ${recordsIn(large)} records ${largeMs.toFixed(1)} ms (time ratio ${(largeMs / smallMs).toFixed(2)} for size ratio ${sizeRatio.toFixed(2)})`,
  );
  notes.push(
    `flagsScaling: premises, audits and actions only (${size.flagsSmall} and ${size.flagsLarge} premises); flagsNational needs schools, libraries and bookings: null until those areas land (premises-only at ${size.flagsLarge}: ${largeMs.toFixed(1)} ms)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'dueregard-bench-'));
  try {
    // A borough database: generated premises plus the demo accounts (for signing in).
    // The generated records are added to the file directly (not audited: the log stays as the demo left it).
    const dbPath = join(dir, 'dueregard.json');
    const demo = await Store.open(dbPath);
    await setUpDemo(demo, { passwordHashCost: 10, today: asOf });
    await demo.close();
    const db = JSON.parse(readFileSync(dbPath, 'utf8')) as Db;
    const generated = dataWith(size.borough, asOf);
    db.premises.push(...generated.premises);
    db.reviews.push(...generated.reviews);
    db.actions.push(...generated.actions);
    writeFileSync(dbPath, JSON.stringify(db));
    const store = await Store.open(dbPath);

    // One saved change: one premises edit, acknowledged once durable (fsync of log and database).
    const ids = store.list('premises').map((p) => p.id);
    const latencies: number[] = [];
    for (let i = 0; i < size.writes; i++) {
      const t0 = performance.now();
      await store.transact('bench', (tx) =>
        tx.update('premises', ids[i % ids.length], { riskRationale: `Bench edit ${i}` }),
      );
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(0.99 * latencies.length) - 1];
    result.writeP99Ms = round(p99);
    say(
      `write: ${size.writes} sequential edits on ${store.list('premises').length} premises: p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    notes.push(
      `writeP99Ms: borough of ${size.borough} premises without bookings, schools or libraries yet (the file will grow with them)`,
    );
    await store.close();

    // Dashboard vs bare Express, in the same run, one after the other, same autocannon settings.
    const bare = await startBareExpress();
    let bareFigures: { rps: number; p99Ms: number };
    try {
      bareFigures = await cannon(`${bare.url}/`, size.seconds);
    } finally {
      bare.child.kill('SIGTERM');
    }
    const server = await startServer({ dbPath, env: { NODE_ENV: 'production' } });
    try {
      const visitor = new HttpVisitor(server.url);
      await visitor.signIn('coordinator@demo.test', 'DueRegard-demo-1');
      const dash = await cannon(`${server.url}/`, size.seconds, { cookie: visitor.cookieHeader });
      result.dashboard = {
        rps: round(dash.rps, 1),
        bareRps: round(bareFigures.rps, 1),
        ratio: round(dash.rps / bareFigures.rps, 3),
        p99Ms: dash.p99Ms,
      };
      say(
        `dashboard: ${dash.rps.toFixed(0)} rps (p99 ${dash.p99Ms} ms) vs bare Express ${bareFigures.rps.toFixed(0)} rps: ratio ${(dash.rps / bareFigures.rps).toFixed(3)}`,
      );
      notes.push(
        `dashboard: coordinator's dashboard over ${size.borough + 12} premises; 10 connections for ${size.seconds} s each`,
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push('giasImport: null until the schools import lands');
  if (values.json) console.log(JSON.stringify(result));
}

await main();
