import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { auditPathFor, readAuditEntries, verifyAuditChain } from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { keysPathFor } from '../../../data/store/subjectKeys.js';
import { createAuditService } from '../../../server/services/auditService.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('retention-crash');
const child = fileURLToPath(new URL('../../support/retentionCrashChild.ts', import.meta.url));

/** Starts the child; kills it (SIGKILL) when it prints `at`, or `afterMs` after it printed "ready". */
function runAndKill(db: string, stage: string, at: string | null, afterMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, db, stage], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    p.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (at === null && out.includes('ready\n')) setTimeout(() => p.kill('SIGKILL'), afterMs);
      if (at !== null && out.includes(`${at}\n`)) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('exit', () => (err && !out.includes('ready') ? reject(new Error(err)) : resolve(out)));
  });
}

/** The state every crash must leave, once the next writer has opened the database. */
async function checkConsistent(db: string, names: Map<string, string>): Promise<{ erased: number }> {
  const store = await Store.open(db);
  try {
    expect(verifyAuditChain(await readAuditEntries(store.auditPath), store.fileHead).ok).to.equal(true);
    expect(store.data.meta.erasePending).to.deep.equal([]);
    const audit = createAuditService(store);
    let erased = 0;
    for (const h of store.list('hirers')) {
      const [created] = await audit.about(new Set([h.id]));
      const logged = (created?.after as { name?: string } | undefined)?.name;
      if (h.personalDataRemoved) {
        erased++;
        // Nothing half-erased: a hirer removed from the records is unreadable in the log too.
        expect(store.keys.has(`hirers/${h.id}`), h.id).to.equal(false);
        expect(logged).to.equal('erased');
      } else {
        // Nothing still inside retention (or not yet purged) is lost.
        expect(h.name).to.equal(names.get(h.id));
        expect(logged).to.equal(names.get(h.id));
      }
    }
    return { erased };
  } finally {
    await store.close();
  }
}

describe('Retention: kill -9 during the purge and during the key deletion', function () {
  this.timeout(180_000);
  let base: string;
  let names: Map<string, string>;

  before(async () => {
    base = join(folders.make(), 'dueregard.json');
    const store = await Store.open(base);
    await setUpDemo(store, { passwordHashCost: 1, today: '2026-12-07' });
    names = new Map(store.list('hirers').map((h) => [h.id, h.name]));
    await store.close();
  });
  after(() => folders.cleanUp());

  function copyOfBase(): string {
    const db = join(folders.make(), 'dueregard.json');
    for (const [from, to] of [
      [base, db],
      [auditPathFor(base), auditPathFor(db)],
      [keysPathFor(base), keysPathFor(db)],
    ] as const)
      if (existsSync(from)) copyFileSync(from, to);
    return db;
  }

  it('when killed after the records were purged but before the keys were destroyed, then the next start destroys them', async () => {
    const db = copyOfBase();
    expect(await runAndKill(db, 'after-purge', 'after-purge')).to.include('after-purge');
    const { erased } = await checkConsistent(db, names);
    expect(erased).to.be.greaterThan(0);
  });

  it('when killed after the keys were destroyed but before the change recording it, then the next start finishes it', async () => {
    const db = copyOfBase();
    expect(await runAndKill(db, 'after-keys', 'after-keys')).to.include('after-keys');
    const { erased } = await checkConsistent(db, names);
    expect(erased).to.be.greaterThan(0);
  });

  it('when killed at moments during a whole run, then each time the next start leaves all or nothing of each hirer readable', async () => {
    for (const ms of [0, 5, 15, 40, 80]) {
      const db = copyOfBase();
      await runAndKill(db, 'purge', null, ms);
      await checkConsistent(db, names);
    }
  });
});
