/**
 * Pages under load (SPEC §9, issue 21): the dashboard, and a sorted, filtered page of the bookings list,
 * each against a bare Express "hello" route in the same run with the same autocannon settings, the server
 * in production mode and signed in as the coordinator. Part of `npm run bench`; alone, on a fresh borough
 * dataset: `npx tsx test/bench/pageBench.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { londonDate } from '../../checks/londonDates.js';
import { HttpVisitor, startServer } from '../support/serverProcess.js';
import { createBoroughDatabase } from './boroughDatabase.js';
import { BOROUGH } from './datasetGenerator.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const say = (line: string) => console.log(line);

/** A sorted, filtered page of bookings, past the first page. */
const BOOKINGS_LIST_PATH = '/bookings?when=all&status=approved&sort=hirer&dir=desc&page=3';

export interface PageFigures {
  /** Exactly SPEC §18's dashboard figures. */
  dashboard: { rps: number; bareRps: number; ratio: number; p99Ms: number };
  /** What the dashboard can reach at most: bare Express sending the dashboard's bytes, against bare "hello". */
  dashboardCeilings: { pageBytesRatio: number };
  /** The dashboard's budget applies: ratio at least 0.5. `firstMs`: the first request, which filters and sorts. */
  bookingsList: { rps: number; ratio: number; p99Ms: number; firstMs: number };
}

/**
 * A bare Express app: "hello" at `/`, and at `/page` the bytes of a page file sent as they are (no
 * middleware, no rendering), to show what the size of a page alone costs.
 */
function startBareExpress(pageFile: string): Promise<{ child: ChildProcess; url: string }> {
  const code = `import express from 'express';
import { readFileSync } from 'node:fs';
const page = readFileSync(process.env.PAGE_FILE);
const app = express();
app.set('etag', false); // as the app: its pages carry no ETag
app.get('/', (_req, res) => { res.send('hello'); });
app.get('/page', (_req, res) => { res.type('html').send(page); });
const server = app.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { ...process.env, PAGE_FILE: pageFile },
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
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p99Ms: r.latency.p99 };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * Bare Express "hello", bare Express sending the dashboard's own bytes (how much of the gap is the page's
 * size), the dashboard and the bookings list, with the same settings (10 connections), in rounds: each
 * round measures all four one after the other for a few seconds, and each page is compared with the bare
 * "hello" of its own round. A shared machine's speed drifts within a run (bare "hello" has moved by half
 * from one minute to the next here), and a page measured a minute away from its bare figure took that
 * drift for its own; the median of the rounds' ratios does not. `seconds` is each figure's total time.
 */
export async function dashboardFigures(
  dbPath: string,
  seconds: number,
  /** Set: the same pages served from this PostgreSQL database (SPEC §18). */
  databaseUrl = '',
): Promise<PageFigures> {
  const server = await startServer({ dbPath, env: { NODE_ENV: 'production', DATABASE_URL: databaseUrl } });
  try {
    const visitor = new HttpVisitor(server.url);
    await visitor.signIn('coordinator@demo.test', 'DueRegard-demo-1');
    const page = await visitor.get('/');
    const pageFile = join(dirname(dbPath), 'dashboard.html');
    writeFileSync(pageFile, page.text);
    const bare = await startBareExpress(pageFile);
    const signedIn = { cookie: visitor.cookieHeader };
    const rounds = Math.max(3, Math.round(seconds / 2));
    const each = Math.max(1, Math.round(seconds / rounds));
    const measured = {
      bare: [] as number[],
      page: [] as number[],
      dash: [] as number[],
      list: [] as number[],
    };
    const p99 = { dash: [] as number[], list: [] as number[] };
    let firstMs: number;
    try {
      const t0 = performance.now();
      const first = await visitor.get(BOOKINGS_LIST_PATH);
      firstMs = performance.now() - t0;
      if (!first.text.includes('Showing 101 to 150 of'))
        throw new Error(`${BOOKINGS_LIST_PATH} did not show the third page of a sorted, filtered list`);
      // Warm-up: each URL once, so no round pays for compiling its code.
      for (const [url, headers] of [
        [`${bare.url}/`, {}],
        [`${bare.url}/page`, {}],
        [`${server.url}/`, signedIn],
        [`${server.url}${BOOKINGS_LIST_PATH}`, signedIn],
      ] as const)
        await cannon(url, 1, headers);
      for (let r = 0; r < rounds; r++) {
        measured.bare.push((await cannon(`${bare.url}/`, each)).rps);
        measured.page.push((await cannon(`${bare.url}/page`, each)).rps);
        const dash = await cannon(`${server.url}/`, each, signedIn);
        measured.dash.push(dash.rps);
        p99.dash.push(dash.p99Ms);
        const list = await cannon(`${server.url}${BOOKINGS_LIST_PATH}`, each, signedIn);
        measured.list.push(list.rps);
        p99.list.push(list.p99Ms);
      }
    } finally {
      bare.child.kill('SIGTERM');
    }
    const ratios = (xs: number[]) => xs.map((x, i) => x / (measured.bare[i] ?? Number.NaN));
    const ratio = {
      dash: median(ratios(measured.dash)),
      list: median(ratios(measured.list)),
      page: median(ratios(measured.page)),
    };
    const bareRps = median(measured.bare);
    const shown = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    say(
      `bare Express "hello": ${measured.bare.map((x) => x.toFixed(0)).join(', ')} rps in ${rounds} rounds of ${each} s (median ${bareRps.toFixed(0)}); each page is compared with its own round's`,
    );
    say(
      `bookings list (${BOOKINGS_LIST_PATH}): median ${median(measured.list).toFixed(0)} rps (p99 ${median(p99.list)} ms; the first request, which filters and sorts, ${firstMs.toFixed(0)} ms): ratio ${ratio.list.toFixed(3)} (rounds: ${shown(ratios(measured.list))}; the dashboard's budget: at least 0.5)`,
    );
    const kb = (Buffer.byteLength(page.text) / 1024).toFixed(0);
    say(
      `dashboard${databaseUrl ? ' on PostgreSQL' : ''}: median ${median(measured.dash).toFixed(0)} rps (p99 ${median(p99.dash)} ms, ${kb} kB pages): ratio ${ratio.dash.toFixed(3)} (rounds: ${shown(ratios(measured.dash))})`,
    );
    say(
      `dashboard: bare Express sending the same ${kb} kB page as fixed bytes: ratio ${ratio.page.toFixed(3)} (rounds: ${shown(ratios(measured.page))}; the most a page of this size can reach)`,
    );
    return {
      dashboard: {
        rps: round(median(measured.dash), 1),
        bareRps: round(bareRps, 1),
        ratio: round(ratio.dash, 3),
        p99Ms: median(p99.dash),
      },
      dashboardCeilings: { pageBytesRatio: round(ratio.page, 3) },
      bookingsList: {
        rps: round(median(measured.list), 1),
        ratio: round(ratio.list, 3),
        p99Ms: median(p99.list),
        firstMs: round(firstMs, 1),
      },
    };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-pagebench-'));
  try {
    const dbPath = join(dir, 'dueregard.json');
    await createBoroughDatabase(dbPath, BOROUGH, londonDate(new Date()));
    say(
      `borough: ${BOROUGH.bookings} bookings, ${BOROUGH.premises} premises; load average ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(JSON.stringify(await dashboardFigures(dbPath, 10)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
