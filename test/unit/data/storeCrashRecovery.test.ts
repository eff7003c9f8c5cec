import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  appendAuditLines,
  chainEntry,
  readAuditEntries,
  verifyAuditChain,
} from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('recovery');

describe('Store: recovering from a crash', () => {
  afterEach(() => folders.cleanUp());

  it('when the log holds an entry past the database head (killed between logging and saving), then reopening records an unsaved-changes note naming it and the chain verifies', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields('SAVED-1')));
    await store.close();
    const before = readFileSync(dbPath, 'utf8');
    const [last] = (await readAuditEntries(`${dbPath.replace(/\.json$/, '')}.audit.jsonl`)).slice(-1);
    const ghost = chainEntry(
      {
        at: '2026-01-05T09:00:00.000Z',
        actor: 'tester',
        action: 'create',
        collection: 'premises',
        recordId: 'never-saved',
        before: null,
        after: { ref: 'GHOST-1' },
      },
      last.seq + 1,
      last.hash,
    );
    await appendAuditLines(`${dbPath.replace(/\.json$/, '')}.audit.jsonl`, [ghost]);
    expect(readFileSync(dbPath, 'utf8')).to.equal(before);

    const reopened = await Store.open(dbPath);
    const entries = await readAuditEntries(reopened.auditPath);
    const note = entries.at(-1)!;
    expect(note.action).to.equal('unsaved-changes');
    expect(note.actor).to.equal('system');
    expect(note.seq).to.equal(ghost.seq + 1);
    expect((note.after as { explanation: string }).explanation).to.include('never saved');
    expect((note.after as { entries: unknown }).entries).to.deep.equal({ from: ghost.seq, to: ghost.seq });
    expect(reopened.data.meta.auditSeq).to.equal(note.seq);
    expect(reopened.list('premises').map((p) => p.ref)).to.deep.equal(['SAVED-1']);
    expect(
      verifyAuditChain(entries, { seq: reopened.data.meta.auditSeq, hash: reopened.data.meta.auditHash }).ok,
    ).to.equal(true);
    await reopened.close();

    const again = await Store.open(dbPath);
    expect((await readAuditEntries(again.auditPath)).length, 'no second note').to.equal(entries.length);
    await again.close();
  });

  it('when the log ends exactly at the database head, then reopening adds nothing to it', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields('SAVED-1')));
    await store.close();
    const log = readFileSync(`${dbPath.replace(/\.json$/, '')}.audit.jsonl`, 'utf8');
    const reopened = await Store.open(dbPath);
    await reopened.close();
    expect(readFileSync(reopened.auditPath, 'utf8')).to.equal(log);
  });

  it('when a killed writer left temp files beside the database, then a writable open removes them and leaves other files alone', async () => {
    const folder = folders.make();
    const dbPath = join(folder, 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.close();
    const stray = [join(folder, '.dueregard.json.4242.tmp'), join(folder, '.dueregard.json.77.tmp')];
    const keep = [
      join(folder, '.dueregard.json.notapid.tmp'),
      join(folder, '.other.json.4242.tmp'),
      join(folder, 'notes.tmp'),
    ];
    for (const f of [...stray, ...keep]) writeFileSync(f, '{"half":');

    const readOnly = await Store.open(dbPath, { write: false });
    expect(readOnly.list('premises')).to.deep.equal([]);
    for (const f of stray) expect(existsSync(f), `${f} kept by a read-only open`).to.equal(true);

    const writable = await Store.open(dbPath);
    await writable.close();
    for (const f of stray) expect(existsSync(f), `${f} removed`).to.equal(false);
    for (const f of keep) expect(existsSync(f), `${f} kept`).to.equal(true);
  });
});
