import { expect } from 'chai';
import { PgImportPreviews, type StoredPreview } from '../../../data/pg/pgImportPreviews.js';
import { migratePg } from '../../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../../data/pg/pgPool.js';
import { sha256Hex } from '../../../data/store/evidenceFiles.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

const FILE = Buffer.from('ref,name\nP-1,Town Hall\n');

type Preview = StoredPreview & { progress: string };

const preview = (id: string, startedAt: number, status = 'ready'): Preview => ({
  id,
  userId: 'u-1',
  kind: 'premises',
  status,
  startedAt,
  sha256: sha256Hex(FILE),
  progress: 'Read the file',
});

describe('import previews on PostgreSQL (import_previews)', () => {
  let db: TestPgDatabase;
  let pool: PgPool;
  let otherPool: PgPool;
  let one: PgImportPreviews<Preview>;
  let other: PgImportPreviews<Preview>;

  beforeEach(async () => {
    db = await createTestPgDatabase('import_previews');
    pool = createPgPool(db.url);
    await migratePg(pool);
    one = new PgImportPreviews(pool);
    // A second instance: its own pool on the same database.
    otherPool = createPgPool(db.url);
    other = new PgImportPreviews(otherPool);
  });
  afterEach(async () => {
    await pool.end();
    await otherPool.end();
    await db.drop();
  });

  it('when a preview is kept by one instance, then the other reads its state and its file byte for byte', async () => {
    await one.add(preview('p-1', 1000), FILE);
    expect(await other.find('p-1')).to.deep.equal(preview('p-1', 1000));
    expect(await other.forUser('u-1')).to.have.length(1);
    expect(await other.forUser('u-2')).to.deep.equal([]);
    expect(await other.bytes('p-1')).to.deep.equal(FILE);
    await one.save({ ...preview('p-1', 1000), progress: 'done' }, true);
    expect((await other.find('p-1'))?.progress).to.equal('done');
    const gone = await other.bytes('p-1').catch((err: Error) => err);
    expect(gone).to.be.instanceOf(Error);
  });

  it('when a file was changed in the table, then reading it is refused', async () => {
    await one.add(preview('p-1', 1000), FILE);
    await pool.query(`UPDATE import_previews SET bytes = $1 WHERE id = 'p-1'`, [Buffer.from('ref,name\n')]);
    const refused = await other.bytes('p-1').catch((err: Error) => err);
    expect(refused).to.be.instanceOf(Error);
    expect(String((refused as Error).message)).to.include('changed');
  });

  it('when two instances claim one preview, then one holds it and the other is told it is busy, until it is released or removed', async () => {
    await one.add(preview('p-1', 1000), FILE);
    const claims = await Promise.all([one.claim('p-1'), other.claim('p-1')]);
    expect(claims.sort()).to.deep.equal(['busy', 'claimed']);
    await one.release(preview('p-1', 1000));
    expect(await other.claim('p-1')).to.equal('claimed');
    await other.remove('p-1');
    expect(await one.claim('p-1')).to.equal('gone');
  });

  it('when previews are swept, then only those past the cutoff go, and none being read or applied unless stale', async () => {
    await one.add(preview('old', 1000), FILE);
    await one.add(preview('new', 5000), FILE);
    await one.add(preview('reading', 1000, 'reading'), FILE);
    await one.add(preview('applying', 1000), FILE);
    expect(await one.claim('applying')).to.equal('claimed');
    expect(await other.sweep(2000, 0)).to.equal(1);
    expect((await one.forUser('u-1')).map((p) => p.id).sort()).to.deep.equal(['applying', 'new', 'reading']);
    // An hour later still: the reading and the confirmation were cut short by a stopped instance.
    expect(await other.sweep(2000, 1000)).to.equal(2);
    expect((await one.forUser('u-1')).map((p) => p.id)).to.deep.equal(['new']);
  });
});
