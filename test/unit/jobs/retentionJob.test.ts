import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readAuditEntries, verifyAuditChain } from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import type { RetentionRule } from '../../../jobs/retentionJob.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { RETENTION_RULES } from '../../../jobs/retentionRules.js';
import { loadConfig } from '../../../server/config.js';
import { actionRecord } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

/** An action closed on `closedOn` by a named person, with a note naming someone. */
function closedAction(id: string, closedOn: string) {
  const {
    id: _id,
    version,
    createdAt,
    updatedAt,
    ...fields
  } = actionRecord(id, {
    status: 'closed',
    ownerEmail: `owner.${id}@example.test`,
    closedAt: `${closedOn}T12:00:00.000Z`,
    closedBy: `closer.${id}@example.test`,
    closingNote: `Spoke to Jane Hirer-${id} about it`,
  });
  return { id, ...fields };
}

/** Rules of this test's own, as hall hire's are for hirers and speakers. */
const testRules = (): RetentionRule[] => [
  {
    collection: 'actions',
    dateOf: (a) => (a as { closedAt: string | null }).closedAt,
    redact: () => ({ ownerEmail: null, closedBy: 'removed', closingNote: null }),
    describe: 'names on actions closed more than the retention period ago',
  },
  {
    collection: 'reviews',
    dateOf: (r) => (r as { completedOn: string | null }).completedOn,
    redact: () => 'delete',
    describe: 'reviews completed more than the retention period ago',
  },
];

describe('runRetention', () => {
  const folders = tempFolders('retention');
  let store: Store;

  beforeEach(async () => {
    store = await Store.open(join(folders.make(), 'db.json'));
    await store.transact('test', (tx) => {
      tx.insert('actions', closedAction('old', '2019-06-30'));
      tx.insert('actions', closedAction('edge', '2020-03-14'));
      tx.insert('actions', closedAction('dayBefore', '2020-03-13'));
      tx.insert('actions', closedAction('recent', '2025-01-01'));
      tx.insert('actions', { ...closedAction('open', '2019-01-01'), status: 'open', closedAt: null });
    });
  });
  afterEach(async () => {
    await store.close();
  });
  after(() => folders.cleanUp());

  it('when records are older than the period, then their personal data is removed and newer ones are kept', async () => {
    const result = await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears: 6 });
    expect(result.keptFrom).to.equal('2020-03-14');
    const a = (id: string) => store.get('actions', id)!;
    for (const id of ['old', 'dayBefore']) {
      expect(a(id).ownerEmail, id).to.equal(null);
      expect(a(id).closedBy, id).to.equal('removed');
      expect(a(id).closingNote, id).to.equal(null);
      expect(a(id).description, 'what is not personal stays').to.equal(`Action ${id}`);
    }
    for (const id of ['edge', 'recent', 'open'])
      expect(a(id).ownerEmail, id).to.equal(`owner.${id}@example.test`);
    expect(result.counts).to.deep.equal([
      {
        collection: 'actions',
        describe: 'names on actions closed more than the retention period ago',
        redacted: 2,
        deleted: 0,
      },
      {
        collection: 'reviews',
        describe: 'reviews completed more than the retention period ago',
        redacted: 0,
        deleted: 0,
      },
    ]);
    expect(result.total).to.equal(2);
  });

  it('when a rule says delete, then the record is deleted', async () => {
    await store.transact('test', (tx) => {
      tx.insert('reviews', {
        id: 'r-old',
        templateId: 'premises-audit',
        templateVersion: 1,
        subjectType: 'premises',
        subjectId: 'p1',
        status: 'submitted',
        answers: {},
        notes: 'Met Jane Hirer',
        evidence: [],
        startedBy: 'x@example.test',
        startedFrom: null,
        submittedBy: 'x@example.test',
        submittedAt: '2018-01-01T10:00:00.000Z',
        completedOn: '2018-01-01',
        outcome: 'compliant',
        nextDue: '2019-01-01',
        attestation: null,
      });
    });
    const result = await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears: 6 });
    expect(store.get('reviews', 'r-old')).to.equal(undefined);
    expect(result.counts[1]?.deleted).to.equal(1);
  });

  it('when it runs, then it writes one change by "retention" whose log holds counts and field names but none of the removed data', async () => {
    const seqBefore = store.data.meta.auditSeq;
    await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears: 6 });
    const entries = (await readAuditEntries(store.auditPath)).slice(seqBefore);
    expect(entries.map((e) => [e.actor, e.action, e.collection])).to.deep.equal([
      ['retention', 'erase', 'actions'],
      ['retention', 'erase', 'actions'],
      ['retention', 'retention', 'actions'],
    ]);
    expect(entries[2]?.after).to.deep.equal({
      rule: 'names on actions closed more than the retention period ago',
      asOf: '2026-03-14',
      retentionYears: 6,
      datedBefore: '2020-03-14',
      redacted: 2,
      deleted: 0,
    });
    const written = JSON.stringify(entries);
    expect(written).to.not.include('owner.old@example.test');
    expect(written).to.not.include('Jane Hirer');
    expect(verifyAuditChain(await readAuditEntries(store.auditPath)).ok).to.equal(true);
  });

  it('when it runs again with nothing new past the period, then nothing is written', async () => {
    await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears: 6 });
    const revision = store.revision;
    const log = readFileSync(store.auditPath, 'utf8');
    const again = await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears: 6 });
    expect(again.total).to.equal(0);
    expect(store.revision).to.equal(revision);
    expect(readFileSync(store.auditPath, 'utf8')).to.equal(log);
  });

  it('when RETENTION_YEARS is shorter, then more is removed', async () => {
    const { retentionYears } = loadConfig({ RETENTION_YEARS: '1' });
    const result = await runRetention(store, { rules: testRules(), asOf: '2026-03-14', retentionYears });
    expect(result.keptFrom).to.equal('2025-03-14');
    expect(result.counts[0]?.redacted).to.equal(4);
    expect(store.get('actions', 'recent')!.ownerEmail).to.equal(null);
  });

  it('when no rule names a collection, then nothing in it is removed; the shipped rules cover hall hire’s records', async () => {
    const result = await runRetention(store, {
      rules: [],
      followUps: [],
      asOf: '2026-03-14',
      retentionYears: 6,
    });
    expect(result.total).to.equal(0);
    expect(store.get('actions', 'old')?.ownerEmail).to.equal('owner.old@example.test');
    expect(RETENTION_RULES.map((r) => r.collection)).to.include.members([
      'bookings',
      'hireRequests',
      'hirers',
      'bookingScreenings',
    ]);
  });
});
