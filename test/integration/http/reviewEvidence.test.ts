import { groupOf } from '../../support/pageParts.js';
import assert from 'node:assert/strict';
import { itemAt } from '../../../data/itemAt.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { evidenceDirFor } from '../../../data/store/evidenceFiles.js';
import { createServices } from '../../../server/services/createServices.js';
import { EVIDENCE_MAX_FILES } from '../../../server/services/evidenceService.js';
import {
  binaryBody,
  csrfFrom,
  DEMO_PASSWORD,
  startTestApp,
  type TestAgent,
  type TestApp,
} from '../../support/testApp.js';
import { fileOnly } from '../../support/testBackend.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR....'),
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

interface Upload {
  file?: Buffer | null;
  filename?: string;
  description?: string;
  token?: string | null;
  /** Send the token after the file instead of before it. */
  tokenAfterFile?: boolean;
}

function upload(a: TestAgent, reviewPath: string, u: Upload = {}) {
  const token = u.token === undefined ? a.csrf : u.token;
  let req = a.agent.post(`${reviewPath}/evidence`);
  if (token !== null && !u.tokenAfterFile) req = req.field('_csrf', token);
  req = req.field('description', u.description ?? 'Site visit notes');
  const file = u.file === undefined ? PDF : u.file;
  if (file) req = req.attach('file', file, u.filename ?? 'site-visit.pdf');
  if (token !== null && u.tokenAfterFile) req = req.field('_csrf', token);
  return req;
}

/** The names in the evidence folder (temporary files included): what is on disk. */
function folderOf(t: TestApp): string[] {
  const dir = evidenceDirFor(t.dbPath);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Evidence records added by the test (the demo has some of its own). */
const added = (t: TestApp, demo: ReadonlySet<string>) =>
  t.store.list('evidence').filter((e) => !demo.has(e.id));

function errorSummary(html: string): string {
  const m = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  expect(m, 'an error summary').to.not.equal(null);
  return m![0];
}

/** On PostgreSQL the files are rows of evidence_files, tested by evidenceOnPostgres.test.ts. */
const SUITE = fileOnly(
  'it checks the evidence folder on disk',
  'Review evidence: upload, list, download, remove',
);

describe(SUITE, () => {
  let t: TestApp;
  let fran: TestAgent;
  let reviewPath: string;
  let reviewId: string;
  /** The demo's own evidence files, there before each test. */
  let demo: Set<string>;
  const files = () => folderOf(t).filter((f) => !demo.has(f));
  const records = () => added(t, demo);

  async function draftOf(index: number, who = fran): Promise<string> {
    const premises = itemAt(t.store.list('premises'), index);
    const res = await who.post('/reviews/start', { subjectType: 'premises', subjectId: premises.id });
    expect(res.status).to.equal(303);
    return String(res.headers.location);
  }

  /** Uploading is refused: 400 with the message linked to `href`, and nothing stored (records, files, log). */
  async function refused(u: Upload, message: string | RegExp, href = '#evidence-file') {
    const recordsBefore = records().length;
    const filesBefore = files();
    const audit = t.store.data.meta.auditSeq;
    const res = await upload(fran, reviewPath, u);
    expect(res.status, `${u.filename}: ${res.text.slice(0, 300)}`).to.equal(400);
    const summary = errorSummary(res.text);
    expect(summary).to.include(`href="${href}"`);
    if (typeof message === 'string') expect(summary).to.include(message);
    else expect(summary).to.match(message);
    expect(res.text, 'the summary links to something on the page').to.include(`id="${href.slice(1)}"`);
    expect(records().length, 'no record').to.equal(recordsBefore);
    expect(files(), 'no file, not even a temporary one').to.deep.equal(filesBefore);
    expect(t.store.data.meta.auditSeq, 'nothing logged').to.equal(audit);
    return res;
  }

  beforeEach(async () => {
    t = await startTestApp({ config: { evidenceMaxBytes: 2000 } });
    fran = await t.signIn('facilities@demo.test');
    reviewPath = await draftOf(0);
    reviewId = reviewPath.split('/').pop()!;
    demo = new Set(folderOf(t));
    expect(demo.size, 'the demo has evidence files').to.be.greaterThan(0);
    expect(
      t.store
        .list('evidence')
        .map((e) => e.id)
        .sort(),
    ).to.deep.equal([...demo].sort());
  });
  afterEach(() => t.close());

  it('when a PDF is uploaded with a description to a draft, then the file is on disk (synced, beside the database) and its record holds its name, type, size, hash and uploader', async () => {
    // Evidence is added within the review's journey, on check your answers, not on the question page.
    expect((await fran.get(reviewPath)).text).to.not.include(`action="${reviewPath}/evidence"`);
    const check = await fran.get(`${reviewPath}/check`);
    expect(check.text).to.include(`action="${reviewPath}/evidence"`);
    const res = await upload(fran, reviewPath);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${reviewPath}/check#evidence`);
    const e = itemAt(records(), 0);
    expect(e).to.include({
      reviewId,
      filename: 'site-visit.pdf',
      mediaType: 'application/pdf',
      size: PDF.length,
      description: 'Site visit notes',
      uploadedBy: 'facilities@demo.test',
    });
    expect(e.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(files()).to.deep.equal([e.id]);
    expect(readFileSync(join(evidenceDirFor(t.dbPath), e.id))).to.deep.equal(PDF);
    expect(evidenceDirFor(t.dbPath)).to.equal(join(t.dir, 'test.evidence'));

    const logged = (await t.store.auditSource.readAll()).filter(
      (x) => x.collection === 'evidence' && !demo.has(x.recordId),
    );
    expect(logged.map((x) => x.action)).to.deep.equal(['create']);
    expect(logged[0]?.actor).to.equal('facilities@demo.test');
    expect(JSON.stringify(logged[0])).to.not.include('Catalog');

    const page = await fran.get(`${reviewPath}/check`);
    expect(page.text).to.include('was added to the evidence');
    expect(page.text).to.include('site-visit.pdf');
    expect(page.text).to.include('Site visit notes');
    expect(page.text).to.include(`PDF, ${PDF.length} bytes`);
    expect(page.text).to.match(/at \d{1,2}:\d{2}(am|pm) by facilities@demo\.test/);
    expect(page.text).to.include(`href="${reviewPath}/evidence/${e.id}/download"`);
  });

  it('when a description or a file name is markup, then the review page shows it inert', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect((await upload(fran, reviewPath, { description: evil, filename: `${evil}.pdf` })).status).to.equal(
      303,
    );
    const page = (await fran.get(`${reviewPath}/check`)).text;
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).to.not.include('<script>alert(1)');
    expect(page).to.not.include('<img src=x');
    expect(itemAt(records(), 0).filename).to.not.match(/[<>]/);
  });

  it('when PNG, JPEG, text and CSV files are uploaded with matching names, then each is kept as its type', async () => {
    const sends: [Buffer, string, string][] = [
      [PNG, 'blocked-page.png', 'image/png'],
      [JPEG, 'sign.JPG', 'image/jpeg'],
      [JPEG, 'poster.jpeg', 'image/jpeg'],
      [Buffer.from('Filter test 14/3: all blocked\r\n'), 'filter-test.txt', 'text/plain'],
      [Buffer.from('url,result\nhttps://example.test,blocked\n'), 'results.csv', 'text/csv'],
    ];
    for (const [file, filename] of sends)
      expect((await upload(fran, reviewPath, { file, filename })).status).to.equal(303);
    expect(records().map((e) => [e.filename, e.mediaType])).to.deep.equal(
      sends.map(([, n, type]) => [n, type]),
    );
  });

  it('when the file is just over the size limit, then it is refused saying the limit and nothing is kept; at the limit it is accepted', async () => {
    await refused(
      { file: Buffer.alloc(2001, 'a'), filename: 'big.txt' },
      'The selected file must be smaller than 2KB',
    );
    expect(
      (await upload(fran, reviewPath, { file: Buffer.alloc(2000, 'a'), filename: 'exact.txt' })).status,
    ).to.equal(303);
  });

  it('when a body far larger than the limit is announced, then it is refused from its length without being read', async () => {
    await refused({ file: Buffer.alloc(400_000, 'a'), filename: 'huge.txt' }, 'must be smaller than 2KB');
  });

  it('when an upload of unknown length keeps coming past the limit, then the answer (400) comes at once, nothing is kept, and the connection is closed rather than the body read to its end', async function () {
    this.timeout(60_000);
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Signed in over real HTTP, to send a body in chunks without a Content-Length.
      const page = await fetch(`${base}/login`);
      let cookie = String(page.headers.get('set-cookie')).split(';')[0] ?? '';
      const login = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: csrfFrom(await page.text()),
          email: 'facilities@demo.test',
          password: DEMO_PASSWORD,
        }),
      });
      cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? '';
      const token = csrfFrom(await (await fetch(`${base}${reviewPath}`, { headers: { cookie } })).text());

      const boundary = 'dueregard-test-boundary';
      const part = (name: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const head = `${part('_csrf', token)}${part('description', 'Endless')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="endless.txt"\r\nContent-Type: text/plain\r\n\r\n`;
      const req = http.request(`${base}${reviewPath}/evidence`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      });
      let sent = 0;
      let sentAtAnswer = -1;
      let closed = false;
      const answer = new Promise<{ status: number; body: string }>((resolve) => {
        req.on('response', (res) => {
          sentAtAnswer = sent;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
      });
      req.on('error', () => {
        closed = true;
      });
      req.on('close', () => {
        closed = true;
      });
      req.write(head);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      while (!closed && sent < 200 * 1024 * 1024) {
        sent += chunk.length;
        const flushed = req.write(chunk);
        await new Promise((r) => (flushed ? setImmediate(r) : req.once('drain', r).once('close', r)));
      }
      const { status, body } = await answer;
      expect(status).to.equal(400);
      expect(body).to.include('The selected file must be smaller than 2KB');
      expect(sentAtAnswer, 'answered long before the body ended').to.be.lessThan(20 * 1024 * 1024);
      expect(closed, 'the connection was closed').to.equal(true);
      expect(sent, 'not read without end').to.be.lessThan(200 * 1024 * 1024);
      expect(records()).to.deep.equal([]);
      expect(files()).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it('when a file named .pdf is not a PDF (HTML, text, a PNG), then it is refused naming what is wrong', async () => {
    await refused(
      { file: HTML, filename: 'report.pdf' },
      'The selected file is not a real PDF file, although its name ends in .pdf',
    );
    await refused({ file: Buffer.from('just words'), filename: 'notes.pdf' }, 'is not a real PDF file');
    await refused(
      { file: PNG, filename: 'photo.pdf' },
      'The selected file is a PNG file but its name ends in .pdf. Rename it to end in .png',
    );
    await refused(
      { file: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), filename: 'data.bin' },
      'The selected file must be a PDF, PNG, JPEG, TXT or CSV',
    );
    await refused({ file: HTML, filename: 'page.html' }, 'must be a PDF, PNG, JPEG, TXT or CSV');
    await refused({ file: PDF, filename: 'no-extension' }, 'name must end in .pdf');
  });

  it('when the file is empty, then it is refused as empty', async () => {
    await refused({ file: Buffer.alloc(0), filename: 'empty.pdf' }, 'The selected file is empty');
  });

  it('when no file is chosen, or the form is not a file upload at all, then it asks for a file and keeps the description typed', async () => {
    const res = await refused(
      { file: null, description: 'Kept as typed' },
      'Select a PDF, PNG, JPEG, TXT or CSV file to upload',
    );
    expect(res.text).to.include('value="Kept as typed"');
    const plain = await fran.post(`${reviewPath}/evidence`, { description: 'x' });
    expect(plain.status).to.equal(400);
    expect(errorSummary(plain.text)).to.include('Select a file to upload');
  });

  it('when the description is missing or too long, then it is refused linked to the description', async () => {
    await refused({ description: '  ' }, 'Enter a short description of the file', '#evidence-description');
    await refused(
      { description: 'x'.repeat(201) },
      'The description must be 200 characters or fewer',
      '#evidence-description',
    );
  });

  it(`when a review holds ${EVIDENCE_MAX_FILES} files, then another is refused until one is removed`, async () => {
    for (let i = 0; i < EVIDENCE_MAX_FILES; i++) {
      const res = await upload(fran, reviewPath, {
        file: Buffer.from(`note ${i}`),
        filename: `note-${i}.txt`,
      });
      expect(res.status, `file ${i + 1}`).to.equal(303);
    }
    const page = await fran.get(`${reviewPath}/check`);
    expect(page.text).to.include(`This review holds ${EVIDENCE_MAX_FILES} files, the most it can`);
    expect(page.text).to.not.include('enctype="multipart/form-data"');
    await refused(
      {},
      `This review already has ${EVIDENCE_MAX_FILES} files, the most it can hold`,
      '#evidence',
    );
    const first = itemAt(records(), 0);
    expect(
      (await fran.post(`${reviewPath}/evidence/${first.id}/remove`, { confirm: 'yes' })).status,
    ).to.equal(303);
    expect((await upload(fran, reviewPath)).status).to.equal(303);
  });

  it('when a file is downloaded, then it is sent as an attachment with a safe name, its stored type, nosniff and a sandboxing CSP', async () => {
    await upload(fran, reviewPath, { file: HTML, filename: 'C:\\fakepath\\evil\u202Etxt.html.txt' });
    await upload(fran, reviewPath, { file: PNG, filename: 'Photo of the hall.png' });
    await upload(fran, reviewPath, { file: PNG, filename: 'Café "poster".png' });
    const [text, png, cafe] = records();
    assert.ok(text !== undefined && png !== undefined && cafe !== undefined);
    expect(text.filename).to.equal('eviltxt.html.txt');
    const res = await fran.agent
      .get(`${reviewPath}/evidence/${text.id}/download`)
      .buffer(true)
      .parse(binaryBody);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).to.equal('attachment; filename=eviltxt.html.txt');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.equal("sandbox; default-src 'none'");
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.body).to.deep.equal(HTML);
    const img = await fran.get(`${reviewPath}/evidence/${png.id}/download`);
    expect(img.headers['content-type']).to.equal('image/png');
    expect(img.headers['content-disposition']).to.equal('attachment; filename="Photo of the hall.png"');
    // Quotes arrive percent-encoded, as browsers send them; other characters go in RFC 5987 form.
    expect(cafe.filename).to.equal('Café %22poster%22.png');
    expect(
      (await fran.get(`${reviewPath}/evidence/${cafe.id}/download`)).headers['content-disposition'],
    ).to.equal(
      `attachment; filename="Caf? %22poster%22.png"; filename*=UTF-8''Caf%C3%A9%20%2522poster%2522.png`,
    );
  });

  it('when the evidence of one review is asked for under another review, or does not exist, then 404', async () => {
    await upload(fran, reviewPath);
    const e = itemAt(records(), 0);
    const other = await draftOf(1);
    expect((await fran.get(`${other}/evidence/${e.id}/download`)).status).to.equal(404);
    expect((await fran.get(`${reviewPath}/evidence/no-such-file/download`)).status).to.equal(404);
    expect((await fran.post(`${other}/evidence/${e.id}/remove`)).status).to.equal(404);
    expect(records()).to.have.length(1);
  });

  it('when a file is removed from a draft, then its record goes (logged), then its file', async () => {
    await upload(fran, reviewPath);
    const e = itemAt(records(), 0);
    const path = `${reviewPath}/evidence/${e.id}/remove`;
    expect((await fran.get(`${reviewPath}/check`)).text).to.include(`href="${path}"`);
    const asked = await fran.get(path);
    expect(asked.status).to.equal(200);
    expect(asked.text).to.include('Remove this file from the evidence?');
    expect(asked.text).to.include('site-visit.pdf');
    const unconfirmed = await fran.post(path);
    expect(unconfirmed.status).to.equal(200);
    expect(unconfirmed.text).to.include('Yes, remove this file');
    expect(t.store.get('evidence', e.id), 'not removed without confirmation').to.not.equal(undefined);
    const res = await fran.post(path, { confirm: 'yes' });
    expect(res.status).to.equal(303);
    expect(t.store.get('evidence', e.id)).to.equal(undefined);
    expect(files()).to.deep.equal([]);
    const logged = (await t.store.auditSource.readAll()).filter(
      (x) => x.collection === 'evidence' && !demo.has(x.recordId),
    );
    expect(logged.map((x) => x.action)).to.deep.equal(['create', 'delete']);
    expect((await fran.get(`${reviewPath}/check`)).text).to.include(
      'site-visit.pdf was removed from the evidence',
    );
  });

  it('when the review is submitted, then its evidence is listed read-only: no upload or remove, and both are refused with the reason', async () => {
    await upload(fran, reviewPath);
    const e = itemAt(records(), 0);
    const version = groupOf(/name="version" value="(\d+)"/, (await fran.get(reviewPath)).text);
    const answers: Record<string, string> = { version, intent: 'submit' };
    for (const q of premisesAudit.questions) answers[`answer-${q.id}`] = 'yes';
    expect((await fran.post(reviewPath, answers)).status).to.equal(303);

    const page = await fran.get(reviewPath);
    expect(page.text).to.include('site-visit.pdf');
    expect(page.text).to.not.include('enctype="multipart/form-data"');
    expect(page.text).to.not.include('/remove"');
    const before = files();
    const add = await upload(fran, reviewPath, { file: PNG, filename: 'late.png' });
    expect(add.status).to.equal(400);
    expect(errorSummary(add.text)).to.include('This review was submitted, so its evidence cannot be changed');
    expect(errorSummary(add.text)).to.include('href="#evidence"');
    const remove = await fran.post(`${reviewPath}/evidence/${e.id}/remove`);
    expect(remove.status).to.equal(400);
    expect(errorSummary(remove.text)).to.include('This review was submitted');
    expect(records()).to.have.length(1);
    expect(files()).to.deep.equal(before);
    expect((await fran.get(`${reviewPath}/evidence/${e.id}/download`)).status).to.equal(200);
  });

  describe('who may see and change evidence', () => {
    it('when someone who may not see the subject asks for its evidence, then 404, and nothing of an upload is read or kept', async () => {
      await upload(fran, reviewPath);
      const e = itemAt(records(), 0);
      for (const email of ['libraries@demo.test', 'education@demo.test', 'viewer@demo.test']) {
        const other = await t.signIn(email);
        expect((await other.get(`${reviewPath}/evidence/${e.id}/download`)).status, email).to.equal(404);
        expect((await upload(other, reviewPath, { file: PNG, filename: 'x.png' })).status, email).to.equal(
          404,
        );
        expect((await other.post(`${reviewPath}/evidence/${e.id}/remove`)).status, email).to.equal(404);
      }
      expect(records()).to.have.length(1);
      expect(files()).to.deep.equal([e.id]);
    });

    it('when another library manager asks for a library attestation’s evidence, then 404; the library’s own manager and the coordinator may download it', async () => {
      const lee = await t.signIn('libraries@demo.test');
      const libraryId = t.services.users.byEmail('libraries@demo.test')!.libraryIds[0] ?? '';
      const otherLibrary = t.store
        .list('libraries')
        .find((l) => l.id !== libraryId && l.yearClosed === null)!;
      const start = await lee.post('/reviews/start', { subjectType: 'library', subjectId: libraryId });
      const path = String(start.headers.location);
      expect((await upload(lee, path, { file: PNG, filename: 'blocked.png' })).status).to.equal(303);
      const e = records().find((x) => x.filename === 'blocked.png')!;
      await t.services.users.create(
        'test',
        {
          email: 'other.manager@demo.test',
          name: 'Other Manager',
          role: 'library-manager',
          libraryIds: [otherLibrary.id],
        },
        DEMO_PASSWORD,
      );
      const other = await t.signIn('other.manager@demo.test');
      expect((await other.get(`${path}/evidence/${e.id}/download`)).status).to.equal(404);
      expect((await other.post(`${path}/evidence/${e.id}/remove`)).status).to.equal(404);
      expect((await lee.get(`${path}/evidence/${e.id}/download`)).status).to.equal(200);
      const casey = await t.signIn('coordinator@demo.test');
      expect((await casey.get(`${path}/evidence/${e.id}/download`)).status).to.equal(200);
      expect(t.store.get('evidence', e.id)).to.not.equal(undefined);
    });
  });

  describe('CSRF on uploads (the token is read from the form before the file)', () => {
    it('when an upload comes without the token, with a wrong one, or with the token only after the file, then it is refused with 403 and nothing is kept', async () => {
      const cases: Upload[] = [
        { token: null },
        { token: 'x'.repeat(fran.csrf.length) },
        { token: '' },
        { tokenAfterFile: true },
      ];
      for (const u of cases) {
        const res = await upload(fran, reviewPath, u);
        expect(res.status, JSON.stringify(u)).to.equal(403);
        expect(res.text).to.include('You do not have access to this page');
      }
      expect(records()).to.deep.equal([]);
      expect(files()).to.deep.equal([]);
    });

    it('when a forged upload comes from another signed-in session’s token, then it is refused', async () => {
      const casey = await t.signIn('coordinator@demo.test');
      const res = await upload(fran, reviewPath, { token: casey.csrf });
      expect(res.status).to.equal(403);
      expect(records()).to.deep.equal([]);
    });

    it('when a multipart form without a token is sent to any other route, then the app-wide check still refuses it', async () => {
      const p = itemAt(t.store.list('premises'), 0);
      for (const path of ['/logout', `/premises/${p.id}`, `${reviewPath}/evidence/x/remove`, reviewPath]) {
        const res = await fran.agent.post(path).field('name', 'Forged').field('version', String(p.version));
        expect(res.status, path).to.equal(403);
      }
      expect(t.store.get('premises', p.id)!.name).to.equal(p.name);
      expect((await fran.get('/')).status, 'still signed in').to.equal(200);
    });
  });

  it('when the demo is loaded, then its evidence files are on disk with the size and hash their records hold, each of its stated type, and the review pages list them', async () => {
    const { createHash } = await import('node:crypto');
    const { evidenceKindOf } = await import('../../../checks/evidenceTypes.js');
    const demoRecords = t.store.list('evidence');
    expect(demoRecords.map((e) => e.mediaType).sort()).to.deep.equal([
      'application/pdf',
      'application/pdf',
      'image/png',
    ]);
    for (const e of demoRecords) {
      const bytes = readFileSync(join(evidenceDirFor(t.dbPath), e.id));
      expect(bytes.length).to.equal(e.size);
      expect(createHash('sha256').update(bytes).digest('hex')).to.equal(e.sha256);
      expect(evidenceKindOf(bytes)).to.equal(e.mediaType === 'image/png' ? 'png' : 'pdf');
      const review = t.store.get('reviews', e.reviewId)!;
      expect(review.status).to.equal('submitted');
      const viewer = await t.signIn(e.uploadedBy);
      const page = await viewer.get(`/reviews/${review.id}`);
      expect(page.text).to.include(e.filename);
      expect(page.text).to.include(`/reviews/${review.id}/evidence/${e.id}/download`);
    }
    expect(new Set(demoRecords.map((e) => t.store.get('reviews', e.reviewId)!.subjectType))).to.deep.equal(
      new Set(['premises', 'library', 'booking']),
    );
  });

  it('when a coordinator exports everything held about a hirer, then the evidence on their bookings’ checks is listed (what it is, not its content) with its log entries', async () => {
    const e = t.store
      .list('evidence')
      .find((x) => t.store.get('reviews', x.reviewId)?.subjectType === 'booking')!;
    const booking = t.store.get('bookings', t.store.get('reviews', e.reviewId)!.subjectId)!;
    const casey = await t.signIn('coordinator@demo.test');
    const res = await casey.get(`/hirers/${booking.hirerId}/export`);
    expect(res.status).to.equal(200);
    const data = JSON.parse(res.text);
    const entry = data.bookings.find((b: { booking: { id: string } }) => b.booking.id === booking.id);
    expect(
      entry.evidence.map((x: { id: string; filename: string; sha256: string }) => [
        x.id,
        x.filename,
        x.sha256,
      ]),
    ).to.deep.equal([[e.id, e.filename, e.sha256]]);
    expect(
      data.auditEntries.some(
        (x: { recordId?: string; collection?: string }) => x.recordId === e.id && x.collection === 'evidence',
      ),
    ).to.equal(true);
    expect(res.text).to.not.include('base64');
  });

  it('when the app starts on a folder holding a temporary upload and a file no record names (a crash mid-upload), then both are removed and recorded files kept', async () => {
    await upload(fran, reviewPath);
    const kept = itemAt(records(), 0).id;
    const dir = evidenceDirFor(t.dbPath);
    writeFileSync(join(dir, '.upload-0b6f2a3c-1111-2222-3333-444455556666.tmp'), 'half');
    writeFileSync(join(dir, 'a0b1c2d3-0000-4000-8000-000000000001'), 'no record');
    const again = createServices(t.store, t.config, 'test-secret-0123456789abcdef0123456789');
    expect(again.evidence.swept).to.deep.equal({ temporary: 1, unrecorded: 1 });
    expect(files()).to.deep.equal([kept]);
  });
});
