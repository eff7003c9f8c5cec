import { itemAt } from '../../data/itemAt.js';
/**
 * Load driver: the real server on a fresh demo database, N signed-in users doing mixed reads and edits
 * over loopback for a fixed time, then a check that no acknowledged edit was lost.
 *
 *   npx tsx test/load/loadDriver.ts [--users 50] [--seconds 60] [--json]
 *
 * Reads: dashboard, premises list, a premises page, /api/flags. Writes: open a premises' edit page (its
 * version), save a new risk rationale with that version. Some edits are deliberate pairs: two users open
 * the same record, then both save at once — one must get 303 and the other 409. At the end the server is
 * stopped with SIGTERM and the database is read from disk: every acknowledged (303) edit must be in the
 * audit log with its value, no two acknowledged edits may share a base version, and each record's final
 * value must be its last acknowledged edit. Exit 0 when there were no 5xx answers and no lost updates.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import { readAuditEntries } from '../../data/store/auditLog.js';
import { Store } from '../../data/store/store.js';
import { runCliInProcess } from '../support/runCliProcess.js';
import { HttpVisitor, type HttpResult, premisesForm, startServer } from '../support/serverProcess.js';

const PASSWORD = 'DueRegard-demo-1';
const ACCOUNTS = ['coordinator@demo.test', 'facilities@demo.test'];

type Kind = 'dashboard' | 'premisesList' | 'premisesShow' | 'apiFlags' | 'editPage' | 'save';
const MIX: [Exclude<Kind, 'editPage' | 'save'> | 'edit' | 'conflictPair', number][] = [
  ['dashboard', 0.25],
  ['premisesList', 0.2],
  ['premisesShow', 0.2],
  ['apiFlags', 0.15],
  ['edit', 0.15],
  ['conflictPair', 0.05],
];

export interface LoadOptions {
  users: number;
  seconds: number;
  log?: (line: string) => void;
}

export interface Latency {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadFigures {
  users: number;
  seconds: number;
  requests: number;
  rps: number;
  latency: Latency;
  byKind: Record<string, Latency>;
  statusCounts: Record<string, number>;
  serverErrors: number;
  clientErrors: number;
  acknowledgedEdits: number;
  conflicts409: number;
  conflictPairs: {
    oneSavedOneRefused: number;
    /** A third user's edit landed between the pair's opens and saves. */
    bothRefused: number;
    /** Would be a lost update. Must be 0. */
    bothSaved: number;
    /** A third user's edit landed between the two opens, so the pair did not race on one version. */
    openedDifferentVersions: number;
  };
  savedEditsInLog: number;
  lostUpdates: number;
  stopExitCode: number | null;
  serverRssMb: number | null;
  loadAverageBefore: number;
  loadAverageAfter: number;
  problems: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return itemAt(sorted, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1));
}

function summarise(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    count: s.length,
    p50Ms: r(percentile(s, 50)),
    p95Ms: r(percentile(s, 95)),
    p99Ms: r(percentile(s, 99)),
    maxMs: r(s.at(-1) ?? 0),
  };
}

function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadFigures> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-load-'));
  const dbPath = join(dir, 'dueregard.json');
  const problems: string[] = [];
  const samples: Record<Kind, number[]> = {
    dashboard: [],
    premisesList: [],
    premisesShow: [],
    apiFlags: [],
    editPage: [],
    save: [],
  };
  const statusCounts: Record<string, number> = {};
  const acked: { id: string; version: number; value: string }[] = [];
  const pairs = { oneSavedOneRefused: 0, bothRefused: 0, bothSaved: 0, openedDifferentVersions: 0 };
  let conflicts409 = 0;
  const loadAverageBefore = itemAt(loadavg(), 0);

  try {
    const demo = await runCliInProcess(['demo', '--db', dbPath]);
    if (demo.code !== 0) throw new Error(`Could not load the demo: ${demo.stderr}`);
    const initial = await Store.open(dbPath, { write: false });
    const premises = initial.list('premises').map((p) => ({ ...p })) as Premises[];

    // Production mode: views cached and errors logged, as the council runs it.
    const server = await startServer({ dbPath, env: { NODE_ENV: 'production' } });
    log(`Server ${server.url} (pid ${server.pid}); signing in ${opts.users} users`);
    const visitors: HttpVisitor[] = [];
    for (let i = 0; i < opts.users; i++) {
      const v = new HttpVisitor(server.url, 15_000);
      await v.signIn(itemAt(ACCOUNTS, i % ACCOUNTS.length), PASSWORD);
      visitors.push(v);
    }

    async function timed(kind: Kind, fn: () => Promise<HttpResult>): Promise<HttpResult | null> {
      const t0 = performance.now();
      try {
        const res = await fn();
        samples[kind].push(performance.now() - t0);
        statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
        if (res.status >= 500) problems.push(`${kind} answered ${res.status}`);
        return res;
      } catch (err) {
        statusCounts.error = (statusCounts.error ?? 0) + 1;
        problems.push(`${kind} failed: ${(err as Error).message}`);
        return null;
      }
    }

    const pick = <T>(list: T[]) => itemAt(list, Math.floor(Math.random() * list.length));
    const versionIn = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)?.[1] ?? Number.NaN);
    let seq = 0;

    async function openEdit(v: HttpVisitor, p: Premises): Promise<number | null> {
      const page = await timed('editPage', () => v.get(`/premises/${p.id}/edit`));
      if (page?.status !== 200) return null;
      return versionIn(page.text);
    }

    async function save(v: HttpVisitor, p: Premises, version: number, who: number): Promise<number | null> {
      const value = `Rationale from user ${who}, edit ${seq++}`;
      const res = await timed('save', () =>
        v.post(`/premises/${p.id}`, { ...premisesForm(p), riskRationale: value, version: String(version) }),
      );
      if (!res) return null;
      if (res.status === 303) acked.push({ id: p.id, version: version + 1, value });
      else if (res.status === 409) conflicts409++;
      else problems.push(`save answered ${res.status}`);
      return res.status;
    }

    const deadline = Date.now() + opts.seconds * 1000;
    const started = performance.now();
    await Promise.all(
      visitors.map(async (v, i) => {
        while (Date.now() < deadline) {
          let r = Math.random();
          const op =
            MIX.find(([, share]) => {
              r -= share;
              return r < 0;
            })?.[0] ?? 'dashboard';
          if (op === 'dashboard') await timed('dashboard', () => v.get('/'));
          else if (op === 'premisesList') await timed('premisesList', () => v.get('/premises'));
          else if (op === 'premisesShow')
            await timed('premisesShow', () => v.get(`/premises/${pick(premises).id}`));
          else if (op === 'apiFlags') await timed('apiFlags', () => v.get('/api/flags'));
          else if (op === 'edit') {
            const p = pick(premises);
            const version = await openEdit(v, p);
            if (version !== null) await save(v, p, version, i);
          } else {
            // Two users open the same record, then both save at once.
            const partner = itemAt(visitors, (i + Math.floor(opts.users / 2)) % opts.users);
            const p = pick(premises);
            const [a, b] = [await openEdit(v, p), await openEdit(partner, p)];
            if (a === null || b === null) continue;
            const [ra, rb] = await Promise.all([save(v, p, a, i), save(partner, p, b, i + 1000)]);
            if (a !== b) pairs.openedDifferentVersions++;
            else if ([ra, rb].sort().join() === '303,409') pairs.oneSavedOneRefused++;
            else if (ra === 409 && rb === 409) pairs.bothRefused++;
            else if (ra === 303 && rb === 303) pairs.bothSaved++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const serverRssMb = rssMb(server.pid);

    server.child.kill('SIGTERM');
    const stopExitCode = (await server.exited).code;
    if (stopExitCode !== 0) problems.push(`the server exited ${stopExitCode} on SIGTERM`);

    // Lost updates, from what is on disk.
    const store = await Store.open(dbPath, { write: false });
    const updates = (await readAuditEntries(store.auditPath)).filter(
      (e) => e.collection === 'premises' && e.action === 'update',
    );
    const logged = new Map(
      updates.map((e) => {
        const after = e.after as { version: number; riskRationale: string };
        return [`${e.recordId}:${after.version}`, after.riskRationale];
      }),
    );
    let lostUpdates = 0;
    const lastAcked = new Map<string, { version: number; value: string }>();
    const seen = new Set<string>();
    for (const a of acked) {
      const key = `${a.id}:${a.version}`;
      if (seen.has(key)) {
        lostUpdates++;
        problems.push(`two edits of ${a.id} were both acknowledged as version ${a.version}`);
      }
      seen.add(key);
      if (logged.get(key) !== a.value) {
        lostUpdates++;
        problems.push(`acknowledged edit ${key} is not in the audit log with its value`);
      }
      if ((lastAcked.get(a.id)?.version ?? 0) < a.version) lastAcked.set(a.id, a);
    }
    for (const [id, last] of lastAcked) {
      const p = store.get('premises', id)!;
      if (p.version < last.version || (p.version === last.version && p.riskRationale !== last.value)) {
        lostUpdates++;
        problems.push(
          `premises ${p.ref} ends at version ${p.version}, not its last acknowledged edit ${last.version}`,
        );
      }
    }

    const all = Object.values(samples).flat();
    const serverErrors = Object.entries(statusCounts)
      .filter(([s]) => Number(s) >= 500)
      .reduce((n, [, c]) => n + c, 0);
    const clientErrors = Object.entries(statusCounts)
      .filter(([s]) => Number(s) >= 400 && Number(s) < 500 && s !== '409')
      .reduce((n, [, c]) => n + c, 0);
    return {
      users: opts.users,
      seconds: Math.round(elapsed * 10) / 10,
      requests: all.length,
      rps: Math.round(all.length / elapsed),
      latency: summarise(all),
      byKind: Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarise(s)])),
      statusCounts,
      serverErrors,
      clientErrors,
      acknowledgedEdits: acked.length,
      conflicts409,
      conflictPairs: pairs,
      savedEditsInLog: updates.length,
      lostUpdates,
      stopExitCode,
      serverRssMb,
      loadAverageBefore: Math.round(loadAverageBefore * 10) / 10,
      loadAverageAfter: Math.round(itemAt(loadavg(), 0) * 10) / 10,
      problems: [...new Set(problems)].slice(0, 20),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
    },
  });
  const users = Number.parseInt(values.users!, 10);
  const seconds = Number.parseInt(values.seconds!, 10);
  if (!(users >= 2 && users <= 500 && seconds >= 1 && seconds <= 3600)) {
    console.error('Usage: npx tsx test/load/loadDriver.ts [--users 2..500] [--seconds 1..3600] [--json]');
    process.exit(2);
  }
  const f = await runLoad({ users, seconds, log: (line) => console.log(line) });
  const l = (x: Latency) => `p50 ${x.p50Ms} ms, p95 ${x.p95Ms} ms, p99 ${x.p99Ms} ms, max ${x.maxMs} ms`;
  console.log('');
  console.log(
    `Load: ${f.users} users for ${f.seconds} s over loopback (load average ${f.loadAverageBefore} before, ${f.loadAverageAfter} after)`,
  );
  console.log(`  requests:            ${f.requests} (${f.rps} per second)`);
  console.log(`  latency:             ${l(f.latency)}`);
  for (const [k, x] of Object.entries(f.byKind))
    console.log(`    ${k.padEnd(17)} ${String(x.count).padStart(6)}  ${l(x)}`);
  console.log(`  answers:             ${JSON.stringify(f.statusCounts)}`);
  console.log(`  5xx (must be 0):     ${f.serverErrors}`);
  console.log(
    `  edits acknowledged:  ${f.acknowledgedEdits} (${f.savedEditsInLog} updates in the audit log)`,
  );
  console.log(`  conflicts (409):     ${f.conflicts409}`);
  console.log(
    `  deliberate pairs:    ${f.conflictPairs.oneSavedOneRefused} one saved + one 409, ${f.conflictPairs.bothRefused} both 409 (a third edit came first), ${f.conflictPairs.openedDifferentVersions} opened different versions, ${f.conflictPairs.bothSaved} both saved (must be 0)`,
  );
  console.log(`  lost updates:        ${f.lostUpdates} (must be 0)`);
  console.log(`  server RSS at end:   ${f.serverRssMb} MB; SIGTERM exit code ${f.stopExitCode}`);
  for (const p of f.problems) console.log(`  PROBLEM: ${p}`);
  if (values.json) console.log(JSON.stringify(f));
  process.exit(
    f.serverErrors === 0 && f.lostUpdates === 0 && f.conflictPairs.bothSaved === 0 && f.problems.length === 0
      ? 0
      : 1,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
