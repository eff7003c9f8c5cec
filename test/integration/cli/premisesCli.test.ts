import { itemAt } from '../../../data/itemAt.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const fixtures = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const folders = tempFolders('cli');

describe('CLI: import premises, checks, audit verify and exit codes', () => {
  let db: string;
  beforeEach(() => {
    db = join(folders.make(), 'council.json');
  });
  after(() => folders.cleanUp());

  it('when a good premises file is imported twice, then the second run changes nothing', async () => {
    const first = await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/created 4, updated 0, unchanged 0, skipped 0/);
    const bytes = readFileSync(db);
    const again = await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/created 0, updated 0, unchanged 4, skipped 0/);
    expect(readFileSync(db).equals(bytes)).to.equal(true);
  });

  it('when --dry-run is given, then counts are printed and nothing is written', async () => {
    await runCliInProcess(['demo', '--db', db]);
    const bytes = readFileSync(db);
    const r = await runCliInProcess([
      'import',
      'premises',
      join(fixtures, 'premises.csv'),
      '--db',
      db,
      '--dry-run',
    ]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/Dry run, nothing written: created 4/);
    expect(readFileSync(db).equals(bytes)).to.equal(true);
  });

  it('when a file has bad rows, then it exits 1 naming row and column and the database is byte-for-byte unchanged', async () => {
    await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
    const bytes = readFileSync(db);
    const audit = readFileSync(db.replace(/\.json$/, '.audit.jsonl'));
    const r = await runCliInProcess(['import', 'premises', join(fixtures, 'premises_bad.csv'), '--db', db]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/nothing was written/);
    expect(r.stderr).to.match(/row \d+, column "[a-z_]+":/);
    expect(readFileSync(db).equals(bytes)).to.equal(true);
    expect(readFileSync(db.replace(/\.json$/, '.audit.jsonl')).equals(audit)).to.equal(true);
  });

  it('when the file does not exist, then it exits 1 with a clear message', async () => {
    const r = await runCliInProcess(['import', 'premises', join(fixtures, 'nope.csv'), '--db', db]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/no such file/);
  });

  it('when the command or an option is wrong, then it exits 2 with usage', async () => {
    expect((await runCliInProcess(['frobnicate', '--db', db])).code).to.equal(2);
    const r = await runCliInProcess(['import', 'premises', '--db', db]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/Usage: npx dueregard import premises FILE/);
    expect((await runCliInProcess(['checks', '--db', db, '--bogus'])).code).to.equal(2);
    expect((await runCliInProcess(['checks', '--db', db, '--as-of', '2026-02-30'])).code).to.equal(2);
  });

  it('when checks --json runs on the demo, then stdout is one JSON array of flags with exactly the SPEC fields', async () => {
    await runCliInProcess(['demo', '--db', db, '--as-of', '2026-11-24']);
    const r = await runCliInProcess(['checks', '--json', '--db', db, '--as-of', '2026-11-24']);
    expect(r.code).to.equal(0);
    const flags = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(flags).to.be.an('array').that.is.not.empty;
    for (const f of flags) {
      expect(Object.keys(f).sort()).to.deep.equal(['dueOn', 'message', 'rule', 'severity', 'subject']);
      expect(Object.keys(f.subject as object).sort()).to.deep.equal(['id', 'name', 'ref', 'type']);
    }
    const rules = new Set(flags.map((f) => f.rule));
    for (const rule of [
      'review-overdue',
      'review-due-soon',
      'non-compliant',
      'partially-compliant',
      'action-overdue',
    ]) {
      expect(rules.has(rule), rule).to.equal(true);
    }
  });

  it('when the audit log is intact, then audit verify exits 0; when an entry is altered, then it exits 1 naming it', async () => {
    await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
    const ok = await runCliInProcess(['audit', 'verify', '--db', db]);
    expect(ok.code).to.equal(0);
    // Four premises and the import's own record in the import history.
    expect(ok.stdout).to.match(/intact: 5 entries/);
    const auditPath = db.replace(/\.json$/, '.audit.jsonl');
    const lines = readFileSync(auditPath, 'utf8').split('\n');
    lines[1] = itemAt(lines, 1).replace('Burnt Oak', 'Burnt 0ak');
    writeFileSync(auditPath, lines.join('\n'));
    const bad = await runCliInProcess(['audit', 'verify', '--db', db]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/line 2/);
  });

  describe('while the server runs', () => {
    let server: ChildProcess | null = null;
    afterEach(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server!.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
    });

    it('when a CLI command writes, then it exits 3 naming the holder; reads still work', async () => {
      await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
      server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, DUEREGARD_DB: db, PORT: '0', NODE_ENV: 'test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve, reject) => {
        server!.stdout!.on('data', (d: Buffer) => d.toString().includes('running at') && resolve());
        server!.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const bytes = readFileSync(db);
      const r = await runCliInProcess(['import', 'premises', join(fixtures, 'premises.csv'), '--db', db]);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.match(new RegExp(`in use by another process \\(pid ${server.pid}\\)`));
      expect(readFileSync(db).equals(bytes)).to.equal(true);
      const read = await runCliInProcess(['checks', '--json', '--db', db]);
      expect(read.code).to.equal(0);
      expect(JSON.parse(read.stdout)).to.be.an('array');
      const second = await startSecondServer(db);
      expect(second.code).to.equal(3);
      expect(second.stderr).to.match(/Cannot start: The database .* is in use by another process/);
    });
  });
});

/** A second server on the same database, started without blocking this process; it should refuse to start. */
function startSecondServer(db: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, DUEREGARD_DB: db, PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
