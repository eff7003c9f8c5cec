import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PgEvidenceFiles } from '../../../data/pg/pgEvidenceFiles.js';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { EvidenceDamagedError, sha256Hex } from '../../../data/store/evidenceFiles.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('evidence files on PostgreSQL', () => {
  let db: TestPgDatabase;
  let staging: string;
  let files: PgEvidenceFiles;
  let pool: PgPool;

  beforeEach(async () => {
    db = await createTestPgDatabase('evidence_files');
    staging = mkdtempSync(join(tmpdir(), 'dueregard-evidence-'));
    pool = createPgPool(db.url);
    await migratePg(pool);
    files = new PgEvidenceFiles(pool, staging);
  });
  afterEach(async () => {
    await pool.end();
    await db.drop();
    rmSync(staging, { recursive: true, force: true });
  });

  async function uploaded(bytes: Buffer, id: string): Promise<void> {
    const upload = await files.startUpload();
    await upload.write(bytes.subarray(0, 10));
    await upload.write(bytes.subarray(10));
    await files.keep(await upload.finish(), id);
  }

  it('when an upload is kept, then its bytes, size and hash are in the database and no staged file is left', async () => {
    await uploaded(PDF, 'e-1');
    expect(await files.read('e-1')).to.deep.equal(PDF);
    expect(await files.list()).to.deep.equal([{ id: 'e-1', size: PDF.length, sha256: sha256Hex(PDF) }]);
    expect(readdirSync(staging)).to.deep.equal([]);
    // Another instance (its own staging folder) reads the same file.
    const otherPool = createPgPool(db.url);
    try {
      const other = new PgEvidenceFiles(otherPool, join(staging, 'other'));
      expect(await other.read('e-1')).to.deep.equal(PDF);
    } finally {
      await otherPool.end();
    }
  });

  it('when the stored bytes no longer match their hash, then reading refuses them', async () => {
    await files.put('e-2', PDF);
    await pool.query(
      "UPDATE evidence_files SET bytes = overlay(bytes placing '\\x58'::bytea from 3) WHERE id = 'e-2'",
    );
    let error: unknown;
    try {
      await files.read('e-2');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(EvidenceDamagedError);
  });

  it('when a staged file was changed before it was kept, then it is not kept', async () => {
    const upload = await files.startUpload();
    await upload.write(PDF);
    const received = await upload.finish();
    writeFileSync(received.tmp, Buffer.concat([PDF, Buffer.from('more')]));
    let error: unknown;
    try {
      await files.keep(received, 'e-3');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(EvidenceDamagedError);
    expect(await files.list()).to.deep.equal([]);
  });

  it('the start-up sweep removes staged leftovers and old files no record names, never a file just kept', async () => {
    await files.put('recorded', PDF);
    await files.put('old-orphan', PDF);
    await files.put('new-orphan', PDF);
    await pool.query(
      "UPDATE evidence_files SET stored_at = now() - interval '2 hours' WHERE id IN ('recorded', 'old-orphan')",
    );
    const stopped = await files.startUpload();
    await stopped.write(PDF);
    const swept = await files.sweep(new Set(['recorded']));
    expect(swept).to.deep.equal({ temporary: 1, unrecorded: 1 });
    expect((await files.list()).map((f) => f.id)).to.deep.equal(['new-orphan', 'recorded']);
    expect(existsSync(stopped.tmp)).to.equal(false);
    await stopped.abort();
  });

  it('when a file is removed, then it is gone (and removing it again is fine)', async () => {
    await files.put('e-4', PDF);
    await files.remove('e-4');
    await files.remove('e-4');
    expect(await files.list()).to.deep.equal([]);
  });
});
