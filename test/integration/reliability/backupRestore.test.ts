import { itemAt } from '../../../data/itemAt.js';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { readAuditEntries } from '../../../data/store/auditLog.js';
import { evidenceDirFor } from '../../../data/store/evidenceFiles.js';
import { Store } from '../../../data/store/store.js';
import {
  BACKUP_VERSION,
  BackupRefusedError,
  type BackupEnvelope,
  listBackups,
  readBackup,
  restoreBackup,
} from '../../../jobs/backupJob.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { HttpVisitor, premisesForm, startServer } from '../../support/serverProcess.js';
import { tempFolders } from '../../support/tempFolder.js';
import { DEMO_PASSWORD } from '../../support/testApp.js';
import { groupOf } from '../../support/pageParts.js';

const folders = tempFolders('backup');
const sharedFolders = tempFolders('backup-shared');

async function demoDb(shared = false): Promise<string> {
  const dbPath = join((shared ? sharedFolders : folders).make(), 'dueregard.json');
  const r = await runCliInProcess(['demo', '--db', dbPath]);
  if (r.code !== 0) throw new Error(r.stderr);
  return dbPath;
}

async function backupNow(dbPath: string): Promise<string> {
  const r = await runCliInProcess(['backup', '--db', dbPath]);
  expect(r.code, r.stderr).to.equal(0);
  return groupOf(/to (\S+\.json\.gz) \(/, r.stdout);
}

/** The database, audit log and evidence files exactly as they are on disk, to prove a refused restore changed nothing. */
function filesOf(dbPath: string) {
  const audit = dbPath.replace(/\.json$/, '.audit.jsonl');
  const evidence = evidenceDirFor(dbPath);
  return {
    db: readFileSync(dbPath),
    audit: readFileSync(audit),
    folder: readdirSync(dirname(dbPath)).sort(),
    evidence: existsSync(evidence)
      ? readdirSync(evidence)
          .sort()
          .map((f) => [f, readFileSync(join(evidence, f))])
      : [],
  };
}

function envelopeOf(file: string): BackupEnvelope {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

describe('Reliability: backup and restore (CLI)', function () {
  this.timeout(60_000);
  afterEach(() => folders.cleanUp());

  it('when a backup is taken, changes are made and it is restored, then the records and audit log are as backed up, a restore entry is added and the replaced files are kept', async () => {
    const dbPath = await demoDb();
    const file = await backupNow(dbPath);
    expect(dirname(file)).to.equal(join(dirname(dbPath), 'backups'));
    expect(basename(file)).to.match(/^dueregard-backup-\d{8}T\d{9}Z\.json\.gz$/);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const backedUp = envelopeOf(file);
    expect(backedUp.format).to.equal('dueregard-backup');
    expect(backedUp.audit.length).to.equal(backedUp.auditHead.seq);

    const added = await runCliInProcess([
      'users',
      'add',
      '--db',
      dbPath,
      '--email',
      'late@x.test',
      '--name',
      'Late',
      '--role',
      'viewer',
    ]);
    expect(added.code, added.stderr).to.equal(0);
    const changed = filesOf(dbPath);

    const r = await runCliInProcess(['restore', file, '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(
      /^Restored .* audit entries, 3 evidence files\.\nThe database it replaced is kept in /,
    );

    const store = await Store.open(dbPath, { write: false });
    const { meta: _m1, ...restored } = store.data as unknown as Record<string, unknown>;
    const { meta: _m2, ...original } = backedUp.db;
    expect(JSON.parse(JSON.stringify(restored))).to.deep.equal(original);
    expect(store.list('users').map((u) => u.email)).to.not.include('late@x.test');
    const entries = await readAuditEntries(store.auditPath);
    expect(entries.slice(0, -1)).to.deep.equal(backedUp.audit);
    expect(entries.at(-1)).to.include({ action: 'restore', actor: 'cli', seq: backedUp.audit.length + 1 });
    expect((await runCliInProcess(['audit', 'verify', '--db', dbPath])).code).to.equal(0);

    const kept = groupOf(/kept in (\S+)\.$/m, r.stdout);
    expect(readFileSync(join(kept, 'dueregard.json'))).to.deep.equal(changed.db);
    expect(readFileSync(join(kept, 'dueregard.audit.jsonl'))).to.deep.equal(changed.audit);
    expect(readdirSync(dirname(dbPath)).filter((f) => f.startsWith('.'))).to.deep.equal([]);
  });

  it('when a backup is restored into an empty folder, then the database is created and the server can start on it', async () => {
    const file = await backupNow(await demoDb());
    const target = join(folders.make(), 'fresh', 'dueregard.json');
    const r = await runCliInProcess(['restore', file, '--db', target]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('nothing was replaced');
    const server = await startServer({ dbPath: target });
    try {
      const visitor = new HttpVisitor(server.url);
      await visitor.signIn('coordinator@demo.test', DEMO_PASSWORD);
      expect((await visitor.get('/premises')).status).to.equal(200);
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.exited).code).to.equal(0);
    }
  });

  describe('refused restores leave the database byte-for-byte unchanged', () => {
    // One database for these tests: each checks that its own refused restore left it as it was.
    let dbPath: string;
    let good: string;
    before(async () => {
      dbPath = await demoDb(true);
      good = await backupNow(dbPath);
      await runCliInProcess([
        'users',
        'add',
        '--db',
        dbPath,
        '--email',
        'keep@x.test',
        '--name',
        'Keep',
        '--role',
        'viewer',
      ]);
    });

    /** Through the real CLI (exit code and message), or by calling the same restore in this process (faster). */
    async function expectRefused(file: string, reason: RegExp, via: 'cli' | 'call' = 'call'): Promise<void> {
      const before = filesOf(dbPath);
      if (via === 'cli') {
        const r = await runCliInProcess(['restore', file, '--db', dbPath]);
        expect(r.code, r.stdout + r.stderr).to.equal(1);
        expect(r.stderr).to.match(reason);
        expect(r.stderr).to.include('Nothing was changed.');
      } else {
        let refused: unknown = null;
        await restoreBackup(dbPath, file).catch((err) => {
          refused = err;
        });
        expect(refused).to.be.instanceOf(BackupRefusedError);
        expect((refused as Error).message).to.match(reason);
      }
      expect(filesOf(dbPath)).to.deep.equal(before);
    }

    it('when the file is cut short, then it is refused as damaged', async () => {
      const cut = join(dirname(good), 'cut.json.gz');
      writeFileSync(cut, readFileSync(good).subarray(0, 300));
      await expectRefused(cut, /cut\.json\.gz is damaged: it is not a complete gzip file/, 'cli');
    });

    it('when a byte of the compressed file is changed, then it is refused as damaged', async () => {
      const bytes = Buffer.from(readFileSync(good));
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = itemAt(bytes, middle) ^ 0xff;
      const flipped = join(dirname(good), 'flipped.json.gz');
      writeFileSync(flipped, bytes);
      await expectRefused(flipped, /flipped\.json\.gz is damaged/);
    });

    it('when a record in the backup was changed without its checksum, then it is refused as damaged', async () => {
      const env = envelopeOf(good);
      itemAt(env.db.premises as { name: string }[], 0).name = 'Quietly renamed';
      const edited = join(dirname(good), 'edited.json.gz');
      writeFileSync(edited, gzipSync(JSON.stringify(env)));
      await expectRefused(edited, /does not match the checksum/);
    });

    it('when an audit entry in the backup was altered and the checksum recomputed, then it is refused because the chain does not verify', async () => {
      const env = envelopeOf(good);
      (env.audit[2] as { actor: string }).actor = 'someone-else';
      const edited = join(dirname(good), 'audit-edited.json.gz');
      writeFileSync(edited, gzipSync(JSON.stringify(env)));
      await expectRefused(edited, /its audit log does not verify \(entry 3 \(line 3\) was altered/);
    });

    it('when audit entries were cut from the end of the backup, then it is refused', async () => {
      const env = envelopeOf(good);
      env.audit = env.audit.slice(0, -2);
      const cut = join(dirname(good), 'audit-cut.json.gz');
      writeFileSync(cut, gzipSync(JSON.stringify(env)));
      await expectRefused(cut, /audit log does not verify .*entries were removed from the end/);
    });

    it('when the file is some other JSON or a CSV, then it is refused as not a Due Regard backup', async () => {
      const json = join(dirname(good), 'other.json');
      writeFileSync(json, JSON.stringify({ users: [], premises: [] }));
      await expectRefused(
        json,
        /other\.json is not a Due Regard backup: it has no "format": "dueregard-backup"/,
        'cli',
      );
      const csv = join(dirname(good), 'premises.csv');
      writeFileSync(csv, 'ref,name\nP1,Hall\n');
      await expectRefused(csv, /premises\.csv is not a Due Regard backup: it is neither gzip nor JSON/);
    });

    it('when the backup is from a newer format version, then it is refused naming it', async () => {
      const env = { ...envelopeOf(good), version: BACKUP_VERSION + 1 };
      const newer = join(dirname(good), 'newer.json.gz');
      writeFileSync(newer, gzipSync(JSON.stringify(env)));
      await expectRefused(
        newer,
        new RegExp(`made by a newer version of Due Regard \\(backup format ${BACKUP_VERSION + 1}\\)`),
      );
    });

    it('when a record in the backup is invalid (checksum recomputed), then it is refused because the database does not load', async () => {
      const { createHash } = await import('node:crypto');
      const env = envelopeOf(good);
      itemAt(env.db.premises as { name: unknown }[], 0).name = 42;
      env.dbSha256 = createHash('sha256').update(JSON.stringify(env.db)).digest('hex');
      const invalid = join(dirname(good), 'invalid.json.gz');
      writeFileSync(invalid, gzipSync(JSON.stringify(env)));
      await expectRefused(invalid, /its database does not load \(.*invalid premises record/);
    });

    it('when an evidence file in the backup was altered, left out, or cut off part-way, then it is refused naming it, and no staged evidence is left', async () => {
      const env = envelopeOf(good);
      const files = env.evidenceFiles!;
      expect(files.length).to.equal(3);
      const altered = structuredClone(env);
      itemAt(altered.evidenceFiles ?? [], 0).base64 = Buffer.from('%PDF-1.4 not the same').toString('base64');
      const alteredFile = join(dirname(good), 'altered.json.gz');
      writeFileSync(alteredFile, gzipSync(JSON.stringify(altered)));
      await expectRefused(
        alteredFile,
        new RegExp(`evidence file ${itemAt(files, 0).id} does not match the size and SHA-256`),
      );

      const lacking = structuredClone(env);
      lacking.evidenceFiles!.splice(1, 1);
      const lackingFile = join(dirname(good), 'lacking.json.gz');
      writeFileSync(lackingFile, gzipSync(JSON.stringify(lacking)));
      await expectRefused(
        lackingFile,
        new RegExp(`evidence file ${itemAt(files, 1).id}, which its database records, is not in it`),
      );

      // The file as written (a line per evidence file), cut before its last file: a complete gzip of a cut text.
      const lines = gunzipSync(readFileSync(good)).toString('utf8').split('\n');
      const cutFile = join(dirname(good), 'cut-evidence.json.gz');
      writeFileSync(cutFile, gzipSync(lines.slice(0, 3).join('\n')));
      await expectRefused(
        cutFile,
        /cut-evidence\.json\.gz is damaged: it ends part-way through its evidence files/,
        'cli',
      );
    });

    it('when the file does not exist, then it is refused', async () => {
      await expectRefused(join(dirname(good), 'nope.json.gz'), /Cannot read .*nope\.json\.gz: no such file/);
    });
  });

  it('when another process holds the database, then restore exits 3 and changes nothing', async () => {
    const dbPath = await demoDb();
    const file = await backupNow(dbPath);
    const store = await Store.open(dbPath);
    try {
      const before = filesOf(dbPath);
      const r = await runCliInProcess(['restore', file, '--db', dbPath]);
      expect(r.code, r.stderr).to.equal(3);
      expect(r.stderr).to.include('is in use by another process');
      expect(filesOf(dbPath)).to.deep.equal(before);
    } finally {
      await store.close();
    }
  });

  it('when the server is running and writing, then backups can be taken beside it and each one is complete and restorable', async () => {
    const dbPath = await demoDb();
    const server = await startServer({ dbPath });
    try {
      const visitor = new HttpVisitor(server.url);
      await visitor.signIn('coordinator@demo.test', DEMO_PASSWORD);
      let writing = true;
      let n = 0;
      const writer = (async () => {
        while (writing) {
          const res = await visitor.post(
            '/premises',
            premisesForm({ ref: `LIVE-${n}`, name: `Live ${n++}` }),
          );
          expect(res.status).to.equal(303);
        }
      })();
      const files: string[] = [];
      for (let i = 0; i < 3; i++) files.push(await backupNow(dbPath));
      writing = false;
      await writer;
      expect(n).to.be.greaterThan(0);
      for (const f of files) {
        const env = readBackup(readFileSync(f), basename(f));
        expect(env.audit.length).to.equal(env.auditHead.seq);
        expect((env.db.premises as unknown[]).length).to.be.at.least(12);
      }
      expect(listBackups(dbPath)).to.have.length(3);
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.exited).code).to.equal(0);
    }
    expect((await runCliInProcess(['restore', listBackups(dbPath).at(-1)!, '--db', dbPath])).code).to.equal(
      0,
    );
    expect((await runCliInProcess(['audit', 'verify', '--db', dbPath])).code).to.equal(0);
  });

  it('when the audit log was tampered with, then backup is refused (exit 1), writes no file and keeps the earlier backups', async () => {
    const dbPath = await demoDb();
    const first = await backupNow(dbPath);
    const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
    const lines = readFileSync(auditPath, 'utf8').split('\n');
    lines[0] = itemAt(lines, 0).replace('"actor":"demo"', '"actor":"mallory"');
    writeFileSync(auditPath, lines.join('\n'));
    const r = await runCliInProcess(['backup', '--db', dbPath]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(
      /audit log does not verify \(entry 1 \(line 1\) was altered.*no backup was taken/,
    );
    expect(listBackups(dbPath)).to.deep.equal([first]);
  });

  it('when there is no database, then backup is refused with exit 1; a bad --keep is a usage error', async () => {
    const dbPath = join(folders.make(), 'none.json');
    const r = await runCliInProcess(['backup', '--db', dbPath]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(`There is no database at ${dbPath}`);
    expect(existsSync(join(dirname(dbPath), 'backups'))).to.equal(false);
    expect((await runCliInProcess(['backup', '--db', await demoDb(), '--keep', '0'])).code).to.equal(2);
  });

  describe('evidence files', () => {
    const sha = async (bytes: Buffer) =>
      (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');

    it('when a backup is taken, evidence is removed and added, and the backup restored, then every backed-up file is back byte for byte and the replaced evidence folder is kept', async () => {
      const dbPath = await demoDb();
      const dir = evidenceDirFor(dbPath);
      const before = filesOf(dbPath).evidence;
      expect(before).to.have.length(3);
      const r1 = await runCliInProcess(['backup', '--db', dbPath]);
      expect(r1.stdout).to.include('and 3 evidence files to');
      const file = groupOf(/to (\S+\.json\.gz) \(/, r1.stdout);
      const env = envelopeOf(file);
      expect(env.version).to.equal(BACKUP_VERSION);
      expect(env.evidence).to.include({ files: 3 });
      expect(env.evidence!.missing).to.deep.equal([]);
      expect(env.evidenceFiles!.map((f) => f.id).sort()).to.deep.equal(before.map(([id]) => id));

      // After the backup: one file removed (record, then file), one added.
      const store = await Store.open(dbPath);
      const gone = itemAt(store.list('evidence'), 0);
      await store.transact('tester', (tx) => tx.remove('evidence', gone.id));
      const { EvidenceFolder } = await import('../../../data/store/evidenceFiles.js');
      const folder = EvidenceFolder.forDatabase(dbPath);
      folder.remove(gone.id);
      const late = Buffer.from('late evidence\n');
      const LATE_ID = '0f0e0d0c-0000-4000-8000-000000000000';
      folder.writeSync(LATE_ID, late);
      await store.close();

      const r = await runCliInProcess(['restore', file, '--db', dbPath]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('3 evidence files.');
      expect(filesOf(dbPath).evidence).to.deep.equal(before);
      const restored = await Store.open(dbPath, { write: false });
      for (const e of restored.list('evidence'))
        expect(await sha(readFileSync(join(dir, e.id)))).to.equal(e.sha256);
      expect(
        restored
          .list('evidence')
          .map((e) => e.id)
          .sort(),
      ).to.deep.equal(before.map(([id]) => id));
      const kept = groupOf(/kept in (\S+)\.$/m, r.stdout);
      expect(readdirSync(join(kept, 'dueregard.evidence')).sort()).to.have.members(
        before
          .map(([id]) => id as string)
          .filter((id) => id !== gone.id)
          .concat(LATE_ID),
      );
      expect(readdirSync(dirname(dbPath)).filter((f) => f.startsWith('.'))).to.deep.equal([]);
      expect((await runCliInProcess(['audit', 'verify', '--db', dbPath])).code).to.equal(0);
    });

    it('when a backup from before evidence files (format 1) is restored, then it restores with no evidence and the evidence folder it replaces is kept', async () => {
      const dbPath = await demoDb();
      const env = envelopeOf(await backupNow(dbPath));
      const { createHash } = await import('node:crypto');
      const v1 = { ...env, version: 1 } as Partial<BackupEnvelope>;
      delete v1.evidence;
      delete v1.evidenceFiles;
      delete (v1.db as Record<string, unknown>).evidence;
      delete (v1.counts as Record<string, unknown>).evidence;
      v1.dbSha256 = createHash('sha256').update(JSON.stringify(v1.db)).digest('hex');
      const old = join(dirname(dbPath), 'old-format.json.gz');
      writeFileSync(old, gzipSync(JSON.stringify(v1)));
      const r = await runCliInProcess(['restore', old, '--db', dbPath]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('0 evidence files.');
      expect(filesOf(dbPath).evidence).to.deep.equal([]);
      const kept = groupOf(/kept in (\S+)\.$/m, r.stdout);
      expect(readdirSync(join(kept, 'dueregard.evidence'))).to.have.length(3);
    });
  });
});
