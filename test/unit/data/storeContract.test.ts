import { expect } from 'chai';
import { verifyAuditChain } from '../../../data/store/auditLog.js';
import { unsealForReading } from '../../../data/store/personalFields.js';
import { ConflictError, NotFoundError } from '../../../data/store/store.js';
import { BACKENDS, type BackendDb, backendDbs } from '../../support/storeBackends.js';
import { hirerRecord } from '../../support/hallHireRecords.js';
import { premisesFields, userFields } from '../../support/records.js';

const newDb = backendDbs('contract');

const HASH = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

/** A new hirer's fields, with the personal ones the log seals. */
function hirerFields(name: string) {
  const {
    id: _id,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    ...fields
  } = hirerRecord('h', {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`,
    address: '1 High Street',
  });
  return fields;
}

/** The store's contract (data/store/storeApi.ts): the same tests, the same outcomes, on both backends. */
for (const backend of BACKENDS) {
  describe(`Store contract on the ${backend} backend`, () => {
    let db: BackendDb;
    beforeEach(async () => {
      db = await newDb(backend);
    });
    afterEach(async () => {
      await db.dispose();
    });

    it('when a change is committed, then the database opened again holds it, and the audit log names it', async () => {
      const store = await db.open();
      expect(store.backend).to.equal(backend);
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      await store.transact('alice', (tx) => tx.update('premises', p.id, { name: 'Town Hall' }, 1));
      await store.close();

      const again = await db.open();
      expect(again.get('premises', p.id)).to.include({ name: 'Town Hall', version: 2 });
      expect(again.list('premises')).to.have.length(1);
      const entries = await db.auditEntries(again);
      expect(entries.map((e) => [e.seq, e.action, e.recordId])).to.deep.equal([
        [1, 'create', p.id],
        [2, 'update', p.id],
      ]);
      expect(verifyAuditChain(entries, { seq: again.data.meta.auditSeq, hash: again.data.meta.auditHash }).ok)
        .to.be.true;
    });

    it('when a save names an older version, then it is refused as a conflict and nothing changes', async () => {
      const store = await db.open();
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      await store.transact('alice', (tx) => tx.update('premises', p.id, { name: 'First' }, 1));
      const err = await store
        .transact('bob', (tx) => tx.update('premises', p.id, { name: 'Second' }, 1))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(ConflictError);
      expect(store.get('premises', p.id)).to.include({ name: 'First', version: 2 });
      await store.close();
      const again = await db.open();
      expect(again.get('premises', p.id)).to.include({ name: 'First', version: 2 });
      expect(await db.auditEntries(again)).to.have.length(2);
    });

    it('when the change throws part-way, then nothing of it is kept, in memory or stored', async () => {
      const store = await db.open();
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      const before = JSON.stringify(store.data);
      const err = await store
        .transact('alice', (tx) => {
          tx.insert('premises', premisesFields('P2'));
          tx.update('premises', p.id, { name: 'Renamed' });
          tx.setMeta((m) => {
            m.settings.x = 1;
          });
          tx.remove('premises', 'no-such-id');
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(NotFoundError);
      expect(JSON.stringify(store.data)).to.equal(before);
      await store.close();
      const again = await db.open();
      expect(again.list('premises').map((r) => r.name)).to.deep.equal(['Premises P1']);
      expect(again.data.meta.settings).to.not.have.property('x');
    });

    it('when records are deleted or moved out, and settings change, then the database opened again agrees', async () => {
      const store = await db.open();
      const [a, b, c] = await store.transact('alice', (tx) => [
        tx.insert('premises', premisesFields('A')),
        tx.insert('premises', premisesFields('B')),
        tx.insert('premises', premisesFields('C')),
      ]);
      if (!a || !b || !c) throw new Error('three records expected');
      await store.transact('alice', (tx) => tx.remove('premises', a.id));
      await store.transact('archive', (tx) =>
        tx.moveOut({ collection: 'premises', files: [{ file: 'x.json', ids: { premises: [b.id] } }] }),
      );
      await store.transact('system', (tx) =>
        tx.setMeta((m) => {
          m.jobRuns.reminders = '2026-01-01T00:00:00Z';
        }),
      );
      await store.close();
      const again = await db.open();
      expect(again.list('premises').map((r) => r.id)).to.deep.equal([c.id]);
      expect(again.get('premises', a.id)).to.equal(undefined);
      expect(again.data.meta.jobRuns.reminders).to.equal('2026-01-01T00:00:00Z');
    });

    it('when a user is saved, then the stored record keeps the password hash and the log only its fingerprint', async () => {
      const store = await db.open();
      const u = await store.transact('admin', (tx) => tx.insert('users', userFields('a@council.test', HASH)));
      await store.transact('admin', (tx) => tx.update('users', u.id, { name: 'Renamed' }));
      await store.close();
      const again = await db.open();
      expect(again.get('users', u.id)).to.include({ passwordHash: HASH, name: 'Renamed' });
      const log = JSON.stringify(await db.auditEntries(again));
      expect(log).to.not.include('a2V5a2V5');
      expect(log).to.match(/secret:[0-9a-f]{12}/);
    });

    it('when a hirer is saved, then the log seals their personal fields, readable with the key until it is destroyed', async () => {
      const store = await db.open();
      const h = await store.transact('alice', (tx) => tx.insert('hirers', hirerFields('Ada Lovelace')));
      expect(JSON.stringify(await db.auditEntries(store))).to.not.include('Ada Lovelace');
      await store.close();

      const again = await db.open();
      const [entry] = await db.auditEntries(again);
      if (!entry) throw new Error('one entry expected');
      expect(unsealForReading('hirers', entry.after, again.keys).record).to.include({ name: 'Ada Lovelace' });
      expect(await again.destroySubjectKeys([`hirers/${h.id}`])).to.equal(1);
      await again.close();

      const third = await db.open();
      expect(third.keys.has(`hirers/${h.id}`)).to.be.false;
      const entries = await db.auditEntries(third);
      expect(entries.at(-1)?.action).to.equal('erase-keys');
      const first = entries[0];
      if (!first) throw new Error('entries expected');
      expect(unsealForReading('hirers', first.after, third.keys).record).to.include({ name: 'erased' });
      expect(verifyAuditChain(entries).ok).to.be.true;
    });
  });
}
