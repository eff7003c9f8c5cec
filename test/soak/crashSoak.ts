import { itemAt } from '../../data/itemAt.js';
/**
 * Crash-safety soak: the real server, real HTTP writes, SIGKILL at random moments, restart, check.
 *
 *   npx tsx test/soak/crashSoak.ts [--kills 100] [--workers 4] [--seed N] [--json]
 *
 * After every restart: the database loads (with validation), `dueregard audit verify` passes (run
 * through runCli in the driver's process; the server is the separate one), and every write the server acknowledged (answered 303) is on disk at its acknowledged version
 * or later, with its audit entry. Exit 0 when nothing acknowledged was lost, 1 otherwise.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { readAuditEntries, verifyAuditChain } from '../../data/store/auditLog.js';
import { Store } from '../../data/store/store.js';
import { runCliInProcess } from '../support/runCliProcess.js';
import { HttpVisitor, type ServerProcess, premisesForm, spawnServer } from '../support/serverProcess.js';

const PASSWORD = 'DueRegard-demo-1';

export interface SoakOptions {
  kills: number;
  /** Concurrent writers per server run (default 4). */
  workers?: number;
  /** Share of kills aimed at start-up rather than at a stream of writes (default 0.1). */
  startupKillShare?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakFigures {
  kills: number;
  killsDuringStartup: number;
  killsDuringWrites: number;
  staleLocksTakenOver: number;
  acknowledgedCreates: number;
  acknowledgedUpdates: number;
  acknowledged: number;
  /** Writes in flight when the server was killed (no answer): they may or may not have been saved. */
  unanswered: number;
  /** Of those, how many were found saved anyway (saved, then killed before the answer went out). */
  unansweredButSaved: number;
  /** Acknowledged writes missing or older on disk, or missing from the audit log. Must be 0. */
  lost: number;
  /** Answers other than 303 to a write (e.g. 500 or 409). Must be 0. */
  unexpectedAnswers: number;
  auditVerifications: number;
  auditEntries: number;
  /** Restarts where the database file lagged the log, so acknowledged changes were replayed from it. */
  restartsReplaying: number;
  /** Transactions replayed from the log in all (see Store.open). */
  transactionsReplayed: number;
  /** Restarts that found an unacknowledged tail (a torn or partly written append) to cut off. */
  restartsCutting: number;
  finalStopExitCode: number | null;
  strayTempFiles: number;
  ms: number;
  seed: number;
  problems: string[];
}

type Write = { kind: 'create'; ref: string } | { kind: 'update'; id: string; version: number };

interface Known {
  ref: string;
  /** Last acknowledged version and name. */
  ackedVersion: number;
  ackedName: string;
  /** What the next edit is based on (the disk state after each restart). */
  version: number;
  worker: number;
}

/** A small seeded generator (mulberry32) so a failing run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCrashSoak(opts: SoakOptions): Promise<SoakFigures> {
  const started = Date.now();
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seeded(seed);
  const log = opts.log ?? (() => {});
  const workers = opts.workers ?? 4;
  const startupShare = opts.startupKillShare ?? 0.1;
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-soak-'));
  const dbPath = join(dir, 'dueregard.json');
  const lockPath = `${dbPath}.lock`;

  const figures: SoakFigures = {
    kills: 0,
    killsDuringStartup: 0,
    killsDuringWrites: 0,
    staleLocksTakenOver: 0,
    acknowledgedCreates: 0,
    acknowledgedUpdates: 0,
    acknowledged: 0,
    unanswered: 0,
    unansweredButSaved: 0,
    lost: 0,
    unexpectedAnswers: 0,
    auditVerifications: 0,
    auditEntries: 0,
    restartsReplaying: 0,
    transactionsReplayed: 0,
    restartsCutting: 0,
    finalStopExitCode: null,
    strayTempFiles: 0,
    ms: 0,
    seed,
    problems: [],
  };
  const problem = (text: string) => {
    figures.problems.push(text);
    log(`PROBLEM: ${text}`);
  };

  const known = new Map<string, Known>();
  /** Every acknowledged write as record id → acknowledged versions, to find each in the audit log. */
  const ackedVersions: { id: string; version: number }[] = [];
  /** Writes sent but not answered: checked once after the next restart. */
  let unanswered: Write[] = [];
  const pending: Write[] = [];

  try {
    const demo = await runCliInProcess(['demo', '--db', dbPath]);
    if (demo.code !== 0) throw new Error(`Could not load the demo: ${demo.stderr}`);

    /** Checks the database a freshly started server is running on. */
    async function verify(label: string): Promise<void> {
      let store: Store;
      try {
        store = await Store.open(dbPath, { write: false });
      } catch (err) {
        problem(`${label}: the database does not load: ${(err as Error).message}`);
        return;
      }
      const entries = await readAuditEntries(store.auditPath);
      const chain = verifyAuditChain(entries, {
        seq: store.data.meta.auditSeq,
        hash: store.data.meta.auditHash,
      });
      if (!chain.ok) problem(`${label}: audit chain broken: ${chain.problem}`);
      figures.auditEntries = entries.length;
      const cli = await runCliInProcess(['audit', 'verify', '--db', dbPath]);
      figures.auditVerifications++;
      if (cli.code !== 0)
        problem(`${label}: dueregard audit verify exited ${cli.code}: ${cli.stderr.trim()}`);

      const audited = new Set(
        entries.map((e) => `${e.recordId}:${(e.after as { version?: number } | null)?.version ?? ''}`),
      );
      for (const [id, k] of known) {
        const p = store.get('premises', id);
        if (!p) {
          figures.lost++;
          problem(`${label}: acknowledged premises ${k.ref} (${id}) is missing`);
          continue;
        }
        if (p.version < k.ackedVersion || (p.version === k.ackedVersion && p.name !== k.ackedName)) {
          figures.lost++;
          problem(
            `${label}: premises ${k.ref} is at version ${p.version} "${p.name}", acknowledged version ${k.ackedVersion} "${k.ackedName}"`,
          );
        }
        k.version = p.version;
      }
      for (const a of ackedVersions.splice(0)) {
        if (!audited.has(`${a.id}:${a.version}`)) {
          figures.lost++;
          problem(`${label}: acknowledged change ${a.id} version ${a.version} has no audit entry`);
        }
      }
      for (const u of unanswered) {
        if (u.kind === 'create') {
          const saved = store.list('premises').find((p) => p.ref === u.ref);
          if (saved) {
            figures.unansweredButSaved++;
            known.set(saved.id, {
              ref: saved.ref,
              ackedVersion: 0,
              ackedName: saved.name,
              version: saved.version,
              worker: -1,
            });
          }
        } else if ((store.get('premises', u.id)?.version ?? 0) >= u.version) {
          figures.unansweredButSaved++;
        }
      }
      unanswered = [];
    }

    /** What the killed server left: a reader replays the log past the database file (and skips a torn tail). */
    async function lookAtLog(): Promise<void> {
      try {
        const { recovered } = await Store.open(dbPath, { write: false, validateOnLoad: false });
        if (recovered.transactions > 0) figures.restartsReplaying++;
        figures.transactionsReplayed += recovered.transactions;
        if (recovered.cut > 0) figures.restartsCutting++;
      } catch (err) {
        problem(`after a kill: the database does not load read-only: ${(err as Error).message}`);
      }
    }

    async function writer(
      visitor: HttpVisitor,
      w: number,
      run: number,
      stop: { now: boolean },
    ): Promise<void> {
      let n = 0;
      while (!stop.now) {
        const mine = [...known.entries()].filter(([, k]) => k.worker === w);
        if (mine.length > 0 && random() < 0.3) {
          const [id, k] = itemAt(mine, Math.floor(random() * mine.length));
          const name = `Soak ${k.ref} edit ${run}.${n++}`;
          const op = { kind: 'update' as const, id, version: k.version + 1 };
          pending.push(op);
          let res: Awaited<ReturnType<HttpVisitor['post']>>;
          try {
            res = await visitor.post(`/premises/${id}`, {
              ...premisesForm({ ref: k.ref, name }),
              version: String(k.version),
            });
          } catch {
            return; // killed: the write stays unanswered
          }
          pending.splice(pending.indexOf(op), 1);
          if (res.status !== 303) {
            figures.unexpectedAnswers++;
            problem(`update of ${k.ref} answered ${res.status}`);
            return;
          }
          k.version++;
          k.ackedVersion = k.version;
          k.ackedName = name;
          ackedVersions.push({ id, version: k.version });
          figures.acknowledgedUpdates++;
        } else {
          const ref = `K${run}-W${w}-${n++}`;
          const name = `Soak ${ref}`;
          const op = { kind: 'create' as const, ref };
          pending.push(op);
          let res: Awaited<ReturnType<HttpVisitor['post']>>;
          try {
            res = await visitor.post('/premises', premisesForm({ ref, name }));
          } catch {
            return;
          }
          pending.splice(pending.indexOf(op), 1);
          const id =
            res.status === 303 ? /^\/premises\/([0-9a-f-]{36})$/.exec(res.location ?? '')?.[1] : null;
          if (!id) {
            figures.unexpectedAnswers++;
            problem(`create of ${ref} answered ${res.status} ${res.location ?? ''}`);
            return;
          }
          known.set(id, { ref, ackedVersion: 1, ackedName: name, version: 1, worker: w });
          ackedVersions.push({ id, version: 1 });
          figures.acknowledgedCreates++;
        }
      }
    }

    let typicalStartMs = 1000;
    for (let run = 1; run <= opts.kills; run++) {
      if (existsSync(lockPath)) figures.staleLocksTakenOver++;
      if (run > 1) await lookAtLog();
      const duringStartup = run > 1 && random() < startupShare;
      const t0 = Date.now();
      const spawned = spawnServer({ dbPath });
      if (duringStartup) {
        await sleep(random() * typicalStartMs);
        spawned.child.kill('SIGKILL');
        await spawned.exited;
        figures.kills++;
        figures.killsDuringStartup++;
        log(`kill ${run}: during start-up`);
        continue;
      }
      let server: ServerProcess;
      try {
        server = await spawned.ready;
      } catch (err) {
        problem(`run ${run}: the server did not start: ${(err as Error).message}`);
        break;
      }
      typicalStartMs = Date.now() - t0;
      await verify(`after restart ${run}`);

      const visitors = await Promise.all(
        Array.from({ length: workers }, async () => {
          const v = new HttpVisitor(server.url, 10_000);
          await v.signIn('coordinator@demo.test', PASSWORD);
          return v;
        }),
      );
      const stop = { now: false };
      const writing = visitors.map((v, w) => writer(v, w, run, stop));
      await sleep(50 + random() * 950);
      server.child.kill('SIGKILL');
      stop.now = true;
      await server.exited;
      await Promise.all(writing);
      figures.kills++;
      figures.killsDuringWrites++;
      figures.unanswered += pending.length;
      unanswered = pending.splice(0);
      log(
        `kill ${run}: ${figures.acknowledgedCreates + figures.acknowledgedUpdates} acknowledged so far, ${unanswered.length} unanswered at the kill`,
      );
    }

    if (existsSync(lockPath)) figures.staleLocksTakenOver++;
    await lookAtLog();
    const last = await spawnServer({ dbPath }).ready;
    await verify('after the last restart');
    last.child.kill('SIGTERM');
    figures.finalStopExitCode = (await last.exited).code;
    if (figures.finalStopExitCode !== 0) problem(`SIGTERM exit code ${figures.finalStopExitCode}`);
    if (existsSync(lockPath)) problem('the lock file is still there after SIGTERM');
    const finalCheck = await runCliInProcess(['audit', 'verify', '--db', dbPath]);
    if (finalCheck.code !== 0) problem(`final audit verify exited ${finalCheck.code}: ${finalCheck.stderr}`);
    figures.strayTempFiles = readdirSync(dir).filter((f) => f.endsWith('.tmp')).length;
  } finally {
    figures.acknowledged = figures.acknowledgedCreates + figures.acknowledgedUpdates;
    figures.ms = Date.now() - started;
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

async function main() {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '100' },
      workers: { type: 'string', default: '4' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const kills = Number.parseInt(values.kills!, 10);
  const workers = Number.parseInt(values.workers!, 10);
  if (!(kills > 0 && workers > 0)) {
    console.error('Usage: npx tsx test/soak/crashSoak.ts [--kills 100] [--workers 4] [--seed N] [--json]');
    process.exit(2);
  }
  const f = await runCrashSoak({
    kills,
    workers,
    seed: values.seed ? Number.parseInt(values.seed, 10) : undefined,
    log: (line) => console.log(line),
  });
  console.log('');
  console.log(
    `Crash soak (seed ${f.seed}): ${f.kills} SIGKILLs (${f.killsDuringWrites} during writes, ${f.killsDuringStartup} during start-up) in ${(f.ms / 1000).toFixed(1)} s`,
  );
  console.log(`  stale locks taken over:   ${f.staleLocksTakenOver}`);
  console.log(
    `  acknowledged writes:      ${f.acknowledged} (${f.acknowledgedCreates} creates, ${f.acknowledgedUpdates} edits)`,
  );
  console.log(`  unanswered at a kill:     ${f.unanswered} (${f.unansweredButSaved} of them saved anyway)`);
  console.log(`  lost (must be 0):         ${f.lost}`);
  console.log(`  unexpected answers:       ${f.unexpectedAnswers}`);
  console.log(`  audit verifications:      ${f.auditVerifications} (log now ${f.auditEntries} entries)`);
  console.log(
    `  replayed at restart:      ${f.transactionsReplayed} transactions at ${f.restartsReplaying} restarts; ${f.restartsCutting} restarts cut an unacknowledged tail`,
  );
  console.log(`  final SIGTERM exit code:  ${f.finalStopExitCode}`);
  console.log(`  stray temp files:         ${f.strayTempFiles}`);
  if (values.json) console.log(JSON.stringify(f));
  process.exit(f.lost === 0 && f.problems.length === 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
