import { itemAt } from '../../data/itemAt.js';
/**
 * Benchmarks (SPEC §9): `npm run bench [-- --quick] [-- --json]`.
 *
 * - flags over a generated national dataset, and over a tenth of it to show how time grows (flagsBench.ts,
 *   in a process of its own);
 * - importing a generated national GIAS file (52,000 rows) against csv-parse alone parsing it;
 * - single saved changes at borough scale (p99), for long enough to include database-file rewrites;
 * - the dashboard's requests per second against a bare Express "hello" route, in the same run, with the
 *   same autocannon settings, the server in production mode and signed in as the coordinator.
 *
 * `--quick` runs small sizes (for CI, under a minute). `--json` prints the SPEC §9 object as the last line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { londonDate } from '../../checks/londonDates.js';
import { DEFAULT_SPOC_PHASES } from '../../checks/schoolRules.js';
import { Store } from '../../data/store/store.js';
import { readSchoolsFile, saveSchools } from '../../server/services/schoolImport.js';
import { createBoroughDatabase } from './boroughDatabase.js';
import { BOROUGH, type Scale } from './datasetGenerator.js';
import { generateGiasCsv } from './giasGenerator.js';
import { type ImportPreviewFigures, importPreviewFigures } from './importPreviewBench.js';
import { dashboardFigures, type PageFigures } from './pageBench.js';
import { benchPgDatabase, type PostgresFigures, pgWriteFigures } from './postgresBench.js';
import { type ReturnsFigures, returnsFigures } from './returnsBench.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Exactly the SPEC §9 object. */
interface BenchResult {
  dashboard: PageFigures['dashboard'];
  /** What a page this size can reach at most (pageBench.ts). */
  dashboardCeilings: PageFigures['dashboardCeilings'];
  /** Issue 21: a sorted, filtered page of the bookings (pageBench.ts). */
  bookingsList: PageFigures['bookingsList'];
  flagsNational: { records: number; ms: number };
  flagsScaling: { smallMs: number; largeMs: number; sizeRatio: number; timeRatio: number };
  writeP99Ms: number;
  giasImport: { rows: number; ms: number; parseOnlyMs: number; ratio: number };
  /** SPEC §12: the same file previewed through HTTP against the CLI import (target ratio ≤ 1.5). */
  giasPreview: ImportPreviewFigures;
  /** Added with the schools' annual return (issue 23): sending it to every school of the borough. */
  returnsSend: ReturnsFigures;
  /** SPEC §18, with DATABASE_URL: the same borough on PostgreSQL, measured in the same run. */
  postgres?: PostgresFigures;
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const say = (line: string) => console.log(line);

/** Best of `runs` timings (of an async step too): the run least disturbed by other work on the machine. */
async function bestMs(fn: () => unknown, runs: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Runs flagsBench.ts in its own process (the national dataset needs a few GB), echoing its lines. */
function flagFigures(quick: boolean): Promise<Pick<BenchResult, 'flagsNational' | 'flagsScaling'>> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      join(root, 'test/bench/flagsBench.ts'),
      ...(quick ? ['--quick'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const lines = out.trim().split('\n');
      for (const line of lines.slice(0, -1)) say(line);
      if (code !== 0) return reject(new Error(`flagsBench exited ${code}`));
      const { flagsNational, flagsScaling } = JSON.parse(lines.at(-1)!);
      resolve({ flagsNational, flagsScaling });
    });
  });
}

/**
 * `import schools` as the CLI runs it, without starting a process: read and check the file, save every
 * school in one transaction (acknowledged once its audit entries are synced), close (the database file
 * written). Against csv-parse parsing the same bytes with the reader's options.
 */
async function giasFigures(rows: number): Promise<BenchResult['giasImport']> {
  const file = generateGiasCsv(rows, 139);
  const options = {
    encoding: 'latin1',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  };
  parse(file, options as never); // warm-up
  const parseOnlyMs = await bestMs(() => parse(file, options as never), 3);
  const importMs = await bestMs(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dueregard-bench-gias-'));
    try {
      const store = await Store.open(join(dir, 'dueregard.json'));
      const read = readSchoolsFile(file, {});
      await saveSchools(store, 'bench', read, { dryRun: false, spocPhases: DEFAULT_SPOC_PHASES });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 3);
  say(
    `gias: ${rows} rows (${(file.length / 1_048_576).toFixed(1)} MB, Windows-1252): import ${importMs.toFixed(0)} ms, csv-parse alone ${parseOnlyMs.toFixed(0)} ms: ratio ${(importMs / parseOnlyMs).toFixed(2)}`,
  );
  return {
    rows,
    ms: round(importMs, 1),
    parseOnlyMs: round(parseOnlyMs, 1),
    ratio: round(importMs / parseOnlyMs),
  };
}

/**
 * One saved change at a time on the borough database, alternately a premises and a booking edit, each
 * timed until acknowledged (its audit entry synced), for `seconds`: long enough that the database file is
 * rewritten in the background (every few seconds under constant writes) while changes are being saved.
 */
async function writeFigures(dbPath: string, seconds: number): Promise<number> {
  const store = await Store.open(dbPath);
  const premises = store.list('premises').map((p) => p.id);
  const bookings = store.list('bookings').map((b) => b.id);
  const snapshotsBefore = store.snapshots.written;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until || latencies.length < 100; i++) {
    const t0 = performance.now();
    if (i % 2 === 0) {
      const id = itemAt(premises, (i / 2) % premises.length);
      await store.transact('bench', (tx) => tx.update('premises', id, { riskRationale: `Bench edit ${i}` }));
    } else {
      const id = itemAt(bookings, ((i - 1) / 2) % bookings.length);
      await store.transact('bench', (tx) => tx.update('bookings', id, { purpose: `Bench edit ${i}` }));
    }
    latencies.push(performance.now() - t0);
  }
  const snapshots = store.snapshots.written - snapshotsBefore;
  await store.close();
  latencies.sort((a, b) => a - b);
  const p99 = itemAt(latencies, Math.ceil(0.99 * latencies.length) - 1);
  say(
    `write: ${latencies.length} single edits in ${seconds} s on ${premises.length} premises and ${bookings.length} bookings (the database file rewritten ${snapshots} times meanwhile): p50 ${itemAt(latencies, Math.floor(latencies.length / 2)).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  );
  return round(p99);
}

/** The same borough moved into a bench database on the DATABASE_URL server: writes, visibility, dashboard. */
async function postgresFigures(
  serverUrl: string,
  dbPath: string,
  size: { writeSeconds: number; cannonSeconds: number },
): Promise<PostgresFigures> {
  const db = await benchPgDatabase(serverUrl, dbPath);
  try {
    say(
      `postgres: the borough moved into a bench database and verified in ${(db.moveMs / 1000).toFixed(1)} s`,
    );
    const writes = await pgWriteFigures(db.url, dbPath, size.writeSeconds, say);
    const { dashboard } = await dashboardFigures(dbPath, size.cannonSeconds, db.url);
    return { ...writes, dashboardRatio: dashboard.ratio };
  } finally {
    await db.drop();
  }
}

async function main() {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const quick = Boolean(values.quick);
  // Everything else runs on the file store; the PostgreSQL figures are measured with this, side by side.
  const databaseUrl = process.env.DATABASE_URL || null;
  delete process.env.DATABASE_URL;
  const borough: Scale = quick ? { premises: 200, bookings: 4_000, schools: 80, libraries: 5 } : BOROUGH;
  const size = quick
    ? { giasRows: 5_000, writeSeconds: 2, cannonSeconds: 3 }
    : { giasRows: 52_000, writeSeconds: 12, cannonSeconds: 10 };
  say(
    `Due Regard bench${quick ? ' (quick)' : ''}: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, load average ${itemAt(loadavg(), 0).toFixed(1)}`,
  );

  const flags = await flagFigures(quick);
  const giasImport = await giasFigures(size.giasRows);
  const giasPreview = await importPreviewFigures(size.giasRows);
  say(
    `gias preview through HTTP: ${giasPreview.previewMs} ms against the CLI import ${giasPreview.cliMs} ms: ratio ${giasPreview.ratio}`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'dueregard-bench-'));
  let result: BenchResult;
  try {
    const dbPath = join(dir, 'dueregard.json');
    await createBoroughDatabase(dbPath, borough, londonDate(new Date()));
    say(
      `borough: ${borough.premises} premises, ${borough.bookings} bookings, ${borough.schools} schools, ${borough.libraries} libraries (and the demo borough)`,
    );
    const writeP99Ms = await writeFigures(dbPath, size.writeSeconds);
    const { dashboard, dashboardCeilings, bookingsList } = await dashboardFigures(dbPath, size.cannonSeconds);
    const returnsSend = await returnsFigures(dbPath);
    say(
      `annual return sent to ${returnsSend.schools} schools (${returnsSend.emails} emails to a loopback SMTP server) in ${(returnsSend.ms / 1000).toFixed(1)} s (target under 30 s)`,
    );
    result = {
      dashboard,
      dashboardCeilings,
      ...flags,
      writeP99Ms,
      giasImport,
      giasPreview,
      returnsSend,
      bookingsList,
    };
    if (databaseUrl) result.postgres = await postgresFigures(databaseUrl, dbPath, size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  say(`load average at the end: ${itemAt(loadavg(), 0).toFixed(1)}`);
  if (values.json) console.log(JSON.stringify(result));
}

await main();
