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
  await autocannon({ url, connections: 10, duration: 1, headers }); // warm-up
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p99Ms: r.latency.p99 };
}

/**
 * Bare Express, then the dashboard and the bookings list, then bare Express again, one after the other
 * with the same settings (10 connections). Also bare Express sending the dashboard's own page bytes,
 * which shows how much of the gap is the page's size.
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
    let bareBefore: { rps: number; p99Ms: number };
    let bareAfter: { rps: number; p99Ms: number };
    let pageFigures: { rps: number; p99Ms: number };
    let dash: { rps: number; p99Ms: number };
    let list: { rps: number; p99Ms: number };
    let firstMs: number;
    try {
      // Bare Express before and after the pages: a shared machine's speed drifts within a run, and the
      // mean of the two is what the pages, measured between them, are compared with.
      bareBefore = await cannon(`${bare.url}/`, seconds);
      pageFigures = await cannon(`${bare.url}/page`, seconds);
      dash = await cannon(`${server.url}/`, seconds, { cookie: visitor.cookieHeader });
      const t0 = performance.now();
      const first = await visitor.get(BOOKINGS_LIST_PATH);
      firstMs = performance.now() - t0;
      if (!first.text.includes('Showing 101 to 150 of'))
        throw new Error(`${BOOKINGS_LIST_PATH} did not show the third page of a sorted, filtered list`);
      list = await cannon(`${server.url}${BOOKINGS_LIST_PATH}`, seconds, { cookie: visitor.cookieHeader });
      bareAfter = await cannon(`${bare.url}/`, seconds);
    } finally {
      bare.child.kill('SIGTERM');
    }
    const bareFigures = { rps: (bareBefore.rps + bareAfter.rps) / 2 };
    say(
      `bare Express "hello": ${bareBefore.rps.toFixed(0)} rps before the pages, ${bareAfter.rps.toFixed(0)} rps after: compared with their mean, ${bareFigures.rps.toFixed(0)} rps`,
    );
    say(
      `bookings list (${BOOKINGS_LIST_PATH}): ${list.rps.toFixed(0)} rps (p99 ${list.p99Ms} ms; the first request, which filters and sorts, ${firstMs.toFixed(0)} ms) vs bare Express ${bareFigures.rps.toFixed(0)} rps: ratio ${(list.rps / bareFigures.rps).toFixed(3)} (the dashboard's budget: at least 0.5)`,
    );
    const kb = (Buffer.byteLength(page.text) / 1024).toFixed(0);
    say(
      `dashboard${databaseUrl ? ' on PostgreSQL' : ''}: ${dash.rps.toFixed(0)} rps (p99 ${dash.p99Ms} ms, ${kb} kB pages) vs bare Express ${bareFigures.rps.toFixed(0)} rps: ratio ${(dash.rps / bareFigures.rps).toFixed(3)}`,
    );
    say(
      `dashboard: bare Express sending the same ${kb} kB page as fixed bytes: ${pageFigures.rps.toFixed(0)} rps (ratio ${(pageFigures.rps / bareFigures.rps).toFixed(3)}, the most a page of this size can reach)`,
    );
    return {
      dashboard: {
        rps: round(dash.rps, 1),
        bareRps: round(bareFigures.rps, 1),
        ratio: round(dash.rps / bareFigures.rps, 3),
        p99Ms: dash.p99Ms,
      },
      dashboardCeilings: {
        pageBytesRatio: round(pageFigures.rps / bareFigures.rps, 3),
      },
      bookingsList: {
        rps: round(list.rps, 1),
        ratio: round(list.rps / bareFigures.rps, 3),
        p99Ms: list.p99Ms,
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
