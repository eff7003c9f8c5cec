import { itemAt } from '../../../data/itemAt.js';
import assert from 'node:assert/strict';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditEntries, redactSecrets, verifyAuditChain } from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { premisesFields } from '../../support/records.js';

describe('audit log: what it keeps', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dueregard-audit-'));
    store = await Store.open(join(dir, 'db.json'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a user with a password hash is saved, then the log holds a fingerprint of the hash, never the hash', async () => {
    const hash = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';
    const u = await store.transact('test', (tx) =>
      tx.insert('users', {
        email: 'a@b.test',
        name: 'A',
        role: 'viewer',
        passwordHash: hash,
        active: true,
        libraryIds: [],
        mustChangePassword: false,
        sessionEpoch: 0,
        calendarTokenHash: null,
        failedSignIns: [],
        lockedUntil: null,
      }),
    );
    await store.transact('test', (tx) => tx.update('users', u.id, { passwordHash: `${hash}x` }));
    const log = readFileSync(store.auditPath, 'utf8');
    expect(log).to.not.include('a2V5a2V5');
    const [created, changed] = await readAuditEntries(store.auditPath);
    assert.ok(created !== undefined && changed !== undefined);
    expect((created.after as { passwordHash: string }).passwordHash).to.match(/^secret:[0-9a-f]{12}$/);
    expect((changed.before as { passwordHash: string }).passwordHash).to.not.equal(
      (changed.after as { passwordHash: string }).passwordHash,
    );
    expect(store.get('users', u.id)!.passwordHash).to.equal(`${hash}x`);
  });

  it('when a record is changed before the previous change reached the disk, then each entry says what it said when hashed (the chain stays intact)', async () => {
    // Both transactions run before the first flush starts: the insert's entry must not pick up the rename.
    const id = 'p-1';
    const first = store.transact('a', (tx) =>
      tx.insert('premises', { id, ...premisesFields('R1', { name: 'Old name' }) }),
    );
    const second = store.transact('b', (tx) => tx.update('premises', id, { name: 'New name' }));
    await Promise.all([first, second]);
    const entries = await readAuditEntries(store.auditPath);
    expect((itemAt(entries, 0).after as { name: string }).name).to.equal('Old name');
    expect((itemAt(entries, 1).after as { name: string }).name).to.equal('New name');
    expect(
      verifyAuditChain(entries, { seq: store.data.meta.auditSeq, hash: store.data.meta.auditHash }).ok,
    ).to.equal(true);
  });

  it('when a change erases personal data, then the log names the fields but holds none of the values', async () => {
    await store.transact('a', (tx) =>
      tx.insert('premises', { id: 'p-2', ...premisesFields('R2', { name: 'Jane Example House' }) }),
    );
    await store.transact('retention', (tx) =>
      tx.update('premises', 'p-2', { name: 'Removed', riskRationale: null }, undefined, { erase: true }),
    );
    await store.transact('retention', (tx) => tx.remove('premises', 'p-2', { erase: true }));
    const [, erased, removed] = await readAuditEntries(store.auditPath);
    assert.ok(erased !== undefined && removed !== undefined);
    expect(erased.action).to.equal('erase');
    expect(erased.before).to.equal(null);
    expect(erased.after).to.deep.equal({ fields: ['name', 'riskRationale'], version: 2 });
    expect(removed.action).to.equal('erase');
    expect(JSON.stringify(removed)).to.not.include('Jane Example');
  });

  it('when redactSecrets meets values without secrets, then it returns them untouched', () => {
    const plain = { name: 'x' };
    expect(redactSecrets(plain)).to.equal(plain);
    expect(redactSecrets(null)).to.equal(null);
    expect(redactSecrets({ tokenHash: 'abc' }).tokenHash).to.match(/^secret:/);
  });
});
