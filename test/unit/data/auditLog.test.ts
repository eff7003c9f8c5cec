import { itemAt } from '../../../data/itemAt.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  type AuditEntry,
  auditPathFor,
  chainEntry,
  hashEntry,
  readAuditEntries,
  serializeEntry,
  verifyAuditChain,
} from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('audit');

interface Written {
  dbPath: string;
  auditPath: string;
  head: { seq: number; hash: string };
}

/** A database with six audited changes, closed, as the store leaves it on disk. */
async function writeSixChanges(): Promise<Written> {
  const dbPath = join(folders.make(), 'dueregard.json');
  const store = await Store.open(dbPath);
  const p = await store.transact('alice@council.test', (tx) =>
    tx.insert('premises', premisesFields('P1', { name: 'Town Hall' })),
  );
  await store.transact('alice@council.test', (tx) => tx.insert('premises', premisesFields('P2')));
  await store.transact('bob@council.test', (tx) => tx.update('premises', p.id, { risk: 'high' }));
  await store.transact('bob@council.test', (tx) => tx.update('premises', p.id, { ward: 'Central' }));
  await store.transact('system', (tx) => tx.note('export', 'premises', '*', { rows: 2 }));
  await store.transact('alice@council.test', (tx) => tx.update('premises', p.id, { name: 'Civic Centre' }));
  await store.close();
  return { dbPath, auditPath: store.auditPath, head: headOnDisk(dbPath) };
}

function headOnDisk(dbPath: string) {
  const { meta } = JSON.parse(readFileSync(dbPath, 'utf8'));
  return { seq: meta.auditSeq as number, hash: meta.auditHash as string };
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n');
}

function writeLines(path: string, content: string[]): void {
  writeFileSync(path, content.map((l) => `${l}\n`).join(''));
}

async function verifyFile(path: string, head?: { seq: number; hash: string }) {
  return verifyAuditChain(await readAuditEntries(path), head);
}

describe('Audit log', () => {
  afterEach(() => folders.cleanUp());

  it('when the database is name.json, then its log is name.audit.jsonl beside it', () => {
    expect(auditPathFor('/var/dueregard.json')).to.equal('/var/dueregard.audit.jsonl');
    expect(auditPathFor('/var/demo')).to.equal('/var/demo.audit.jsonl');
  });

  it('when entries are chained, then each carries the hash of the one before and its own content hash', () => {
    const draft = {
      at: '2026-05-01T10:00:00.000Z',
      actor: 'alice',
      action: 'create',
      collection: 'premises',
      recordId: 'p1',
      before: null,
      after: { id: 'p1' },
    };
    const first = chainEntry(draft, 1, '');
    const second = chainEntry({ ...draft, action: 'update' }, 2, first.hash);
    expect(first.prev).to.equal('');
    expect(second.prev).to.equal(first.hash);
    const { hash, ...unsigned } = second;
    expect(hashEntry(unsigned)).to.equal(hash);
    expect(hash).to.match(/^[0-9a-f]{64}$/);
  });

  it("when an entry is serialised from its records' JSON, then the line is exactly the JSON of the chained entry and verifies", () => {
    const record = { id: 'p1', name: 'Caf\u00e9 "Q" \u2028', nested: { list: [1, null, 'x'] }, n: -0.5 };
    const header = {
      seq: 7,
      at: '2026-05-01T10:00:00.000Z',
      actor: 'alice "a"',
      action: 'update',
      collection: 'premises',
      recordId: 'p1',
    };
    const tx = { first: 6, count: 2 };
    const { line, hash } = serializeEntry(
      header,
      JSON.stringify({ id: 'p1' }),
      JSON.stringify(record),
      tx,
      'abc',
    );
    const entry = chainEntry(
      {
        at: header.at,
        actor: header.actor,
        action: header.action,
        collection: header.collection,
        recordId: 'p1',
        before: { id: 'p1' },
        after: record,
        tx,
      },
      7,
      'abc',
    );
    expect(line).to.equal(JSON.stringify(entry));
    expect(hash).to.equal(entry.hash);
    expect(verifyAuditChain([JSON.parse(line)]).problem).to.match(/out of place/); // seq 7 alone, yet its hash holds
    const { line: plain } = serializeEntry({ ...header, seq: 1 }, 'null', 'null', undefined, '');
    expect(verifyAuditChain([JSON.parse(plain)])).to.deep.equal({ ok: true, entries: 1 });
  });

  it('when the log is as the store wrote it, then the chain is intact', async () => {
    const { auditPath, head } = await writeSixChanges();
    expect(head.seq).to.equal(6);
    expect(await verifyFile(auditPath, head)).to.deep.equal({ ok: true, entries: 6 });
  });

  it('when the log is empty or missing, then it verifies as an empty chain', async () => {
    const missing = join(folders.make(), 'none.audit.jsonl');
    expect(await verifyFile(missing)).to.deep.equal({ ok: true, entries: 0 });
  });

  it('when one field of an entry is edited in the file, then that entry and its line are named', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    const entry = JSON.parse(itemAt(content, 2));
    expect(entry.actor).to.equal('bob@council.test');
    entry.actor = 'mallory@council.test';
    content[2] = JSON.stringify(entry);
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result.ok).to.equal(false);
    expect(result.line).to.equal(3);
    expect(result.problem).to.equal('entry 3 (line 3) was altered: its hash does not match its content');
  });

  it('when a recorded value inside an entry is edited, then the entry is found altered', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    content[3] = itemAt(content, 3).replace('"ward":"Central"', '"ward":"North"');
    expect(content[3]).to.include('"ward":"North"');
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 4 });
    expect(result.problem).to.match(/altered/);
  });

  it('when an entry is edited and its hash recomputed, then the entry after it no longer follows', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    const { hash: _old, ...unsigned } = JSON.parse(itemAt(content, 1)) as AuditEntry;
    unsigned.actor = 'mallory@council.test';
    content[1] = JSON.stringify({ ...unsigned, hash: hashEntry(unsigned) });
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 3 });
    expect(result.problem).to.equal('entry 3 (line 3) does not follow the entry before it');
  });

  it('when the last entry is edited and its hash recomputed, then the head the database recorded catches it', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    const { hash: _old, ...unsigned } = JSON.parse(itemAt(content, 5)) as AuditEntry;
    unsigned.actor = 'mallory@council.test';
    content[5] = JSON.stringify({ ...unsigned, hash: hashEntry(unsigned) });
    writeLines(auditPath, content);

    expect((await verifyFile(auditPath)).ok).to.equal(true);
    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 6 });
    expect(result.problem).to.equal('entry 6 is not the one the database recorded');
  });

  it('when an entry is removed from the middle, then the gap is found at its line', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    content.splice(2, 1);
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 3 });
    expect(result.problem).to.match(/^entry 4 \(line 3\) is out of place: expected entry 3/);
  });

  it('when two entries are swapped, then the first out of place is found', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    [content[3], content[4]] = [itemAt(content, 4), itemAt(content, 3)];
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 4 });
    expect(result.problem).to.match(/^entry 5 \(line 4\) is out of place: expected entry 4/);
  });

  it('when entries are cut from the end, then the database head finds them missing', async () => {
    const { auditPath, head } = await writeSixChanges();
    writeLines(auditPath, lines(auditPath).slice(0, 4));

    // The chain alone cannot tell a cut log from a short one.
    expect(await verifyFile(auditPath)).to.deep.equal({ ok: true, entries: 4 });
    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 5, entries: 4 });
    expect(result.problem).to.equal(
      'the database includes 6 audit entries but the log holds only 4: entries were removed from the end',
    );
  });

  it('when the log holds entries past the database head (a crash after the log was written), then it is intact', async () => {
    const { auditPath, head } = await writeSixChanges();
    expect(
      await verifyFile(auditPath, { seq: 4, hash: itemAt(await readAuditEntries(auditPath), 3).hash }),
    ).to.include({ ok: true });
    expect((await verifyFile(auditPath, head)).ok).to.equal(true);
  });

  it('when a line is not JSON, then it is named', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    content[3] = itemAt(content, 3).slice(0, 40);
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 4 });
    expect(result.problem).to.equal('entry on line 4 is not valid JSON');
  });

  it('when a line is JSON but not an entry, then it is named instead of crashing the check', async () => {
    const { auditPath, head } = await writeSixChanges();
    const content = lines(auditPath);
    content[1] = 'null';
    writeLines(auditPath, content);

    const result = await verifyFile(auditPath, head);
    expect(result).to.include({ ok: false, line: 2 });
  });

  it('when entries are cut from the end, then the store will not write more onto the cut log, and the check still finds the cut', async () => {
    const { dbPath, auditPath } = await writeSixChanges();
    writeLines(auditPath, lines(auditPath).slice(0, 4));

    let refused: Error | null = null;
    await Store.open(dbPath).catch((err: Error) => {
      refused = err;
    });
    expect(refused, 'a writer refuses the cut log').to.not.equal(null);

    const result = await verifyFile(auditPath, headOnDisk(dbPath));
    expect(result).to.include({ ok: false, line: 5 });
    expect(result.problem).to.include('entries were removed from the end');
  });
});
