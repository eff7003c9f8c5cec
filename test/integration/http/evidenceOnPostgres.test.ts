import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PgStore } from '../../../data/pg/pgStore.js';
import { evidenceDirFor } from '../../../data/store/evidenceFiles.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { binaryBody, startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** The app's own connection pool (its store is a PgStore). */
function poolOf(t: TestApp) {
  if (!(t.store instanceof PgStore)) throw new Error('the app runs on PostgreSQL');
  return t.store.pool;
}

const folderOf = (t: TestApp) => {
  const dir = evidenceDirFor(t.dbPath);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

async function draft(t: TestApp, who: TestAgent): Promise<string> {
  const premises = t.store.list('premises')[0];
  if (!premises) throw new Error('the demo has premises');
  const res = await who.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
  expect(res.status).to.equal(303);
  return String(res.headers.location);
}

function upload(who: TestAgent, reviewPath: string, file: Buffer) {
  return who.agent
    .post(`${reviewPath}/evidence`)
    .field('_csrf', who.csrf)
    .field('description', 'Site visit notes')
    .attach('file', file, 'site-visit.pdf');
}

const download = (who: TestAgent, path: string) => who.agent.get(path).buffer(true).parse(binaryBody);

describe('evidence files with DATABASE_URL: kept in PostgreSQL, checked on every download', () => {
  let db: TestPgDatabase;
  let t: TestApp;
  let fran: TestAgent;

  beforeEach(async () => {
    db = await createTestPgDatabase('evidence_http');
    t = await startTestApp({ config: { databaseUrl: db.url } });
    fran = await t.signIn('facilities@demo.test');
  });
  afterEach(async () => {
    await t.close();
    await db.drop();
  });

  it('when a file is uploaded, then it is stored in the database (not the folder) and downloads byte for byte', async () => {
    const before = folderOf(t);
    const reviewPath = await draft(t, fran);
    expect((await upload(fran, reviewPath, PDF)).status).to.equal(303);
    const record = t.store.list('evidence').find((e) => e.filename === 'site-visit.pdf');
    if (!record) throw new Error('the upload is recorded');
    const pool = poolOf(t);
    const row = await pool.query('SELECT size, sha256 FROM evidence_files WHERE id = $1', [record.id]);
    expect(row.rows).to.deep.equal([{ size: PDF.length, sha256: record.sha256 }]);
    expect(folderOf(t), 'nothing kept (nor left staged) in the folder').to.deep.equal(before);

    const res = await download(fran, `${reviewPath}/evidence/${record.id}/download`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.body).to.deep.equal(PDF);

    // Removed from the draft: record and stored file both gone.
    expect(
      (await fran.post(`${reviewPath}/evidence/${record.id}/remove`, { confirm: 'yes' })).status,
    ).to.equal(303);
    const left = await pool.query('SELECT id FROM evidence_files WHERE id = $1', [record.id]);
    expect(left.rows).to.deep.equal([]);
  });

  it('when the stored bytes were changed, then the download is refused and sends none of them', async () => {
    const reviewPath = await draft(t, fran);
    await upload(fran, reviewPath, PDF);
    const record = t.store.list('evidence').find((e) => e.filename === 'site-visit.pdf');
    if (!record) throw new Error('the upload is recorded');
    const pool = poolOf(t);
    await pool.query("UPDATE evidence_files SET bytes = bytes || '\\x00'::bytea, sha256 = $2 WHERE id = $1", [
      record.id,
      'a'.repeat(64),
    ]);
    const res = await download(fran, `${reviewPath}/evidence/${record.id}/download`);
    expect(res.status).to.equal(500);
    expect(res.body.includes(Buffer.from('Catalog'))).to.equal(false);
  });
});

describe('evidence files on the file store: checked on every download too', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('when the file on disk no longer matches its record, then the download is refused', async () => {
    t = await startTestApp({ config: { databaseUrl: null } });
    const fran = await t.signIn('facilities@demo.test');
    const reviewPath = await draft(t, fran);
    await upload(fran, reviewPath, PDF);
    const record = t.store.list('evidence').find((e) => e.filename === 'site-visit.pdf');
    if (!record) throw new Error('the upload is recorded');
    const path = `${reviewPath}/evidence/${record.id}/download`;
    expect((await download(fran, path)).body).to.deep.equal(PDF);
    writeFileSync(
      join(evidenceDirFor(t.dbPath), record.id),
      Buffer.from(PDF.toString().replace('Catalog', 'Katalog')),
    );
    const res = await download(fran, path);
    expect(res.status).to.equal(500);
    expect(res.body.includes(Buffer.from('Katalog'))).to.equal(false);
  });
});
