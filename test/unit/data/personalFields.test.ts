import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ERASED,
  SEALED,
  sealJson,
  sealRecord,
  unsealForReading,
  unsealForReplay,
} from '../../../data/store/personalFields.js';
import { keysPathFor, SubjectKeys } from '../../../data/store/subjectKeys.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('personal-fields');
const hirer = {
  id: 'h1',
  version: 1,
  name: 'Ada Lovelace',
  email: 'ada@example.org',
  organisation: 'Analytical Society',
  otherNames: ['A. L.'],
};

describe('Personal fields sealed in the audit log', () => {
  afterEach(() => folders.cleanUp());

  it('when a hirer is sealed, then the personal fields are gone from its JSON, the rest stays readable, and opening gives it back', () => {
    const keys = SubjectKeys.inMemory();
    const json = sealJson('hirers', JSON.stringify(hirer), keys);
    expect(json).not.to.include('Ada');
    expect(json).not.to.include('ada@example.org');
    expect(json).to.include('Analytical Society');
    const sealed = JSON.parse(json);
    expect(sealed[SEALED].s).to.equal('hirers/h1');
    expect(unsealForReading('hirers', sealed, keys)).to.deep.equal({ record: hirer, erased: false });
  });

  it('when the same record is sealed twice, then each text differs (a fresh IV) yet both open to it', () => {
    const keys = SubjectKeys.inMemory();
    const a = sealRecord('hirers', hirer, keys);
    const b = sealRecord('hirers', hirer, keys);
    expect(JSON.stringify(a)).not.to.equal(JSON.stringify(b));
    expect(unsealForReading('hirers', b, keys).record).to.deep.equal(hirer);
    expect(keys.size).to.equal(1);
  });

  it('when a collection holds no personal data, or the value is not a record, then it is left exactly as it was', () => {
    const keys = SubjectKeys.inMemory();
    const premises = JSON.stringify({ id: 'p1', name: 'Town Hall' });
    expect(sealJson('premises', premises, keys)).to.equal(premises);
    expect(sealJson('hirers', 'null', keys)).to.equal('null');
    expect(sealJson('hirers', '{"fields":["name"],"version":2}', keys)).to.equal(
      '{"fields":["name"],"version":2}',
    );
    expect(keys.size).to.equal(0);
  });

  it('when the key is destroyed or the sealed text altered, then reading shows each personal field as erased', async () => {
    const keys = SubjectKeys.inMemory();
    const sealed = sealRecord('hirers', hirer, keys) as Record<string, { s: string; v: string }>;
    const altered = { ...sealed, [SEALED]: { ...sealed[SEALED]!, v: `A${sealed[SEALED]!.v.slice(1)}` } };
    expect(unsealForReading('hirers', altered, keys).erased).to.equal(true);
    await keys.destroy(['hirers/h1']);
    const read = unsealForReading('hirers', sealed, keys);
    expect(read.erased).to.equal(true);
    expect(read.record).to.include({ name: ERASED, email: ERASED, organisation: 'Analytical Society' });
  });

  it('when a sealed entry of an erased subject is replayed, then its personal fields are taken from the record as it stands', async () => {
    const keys = SubjectKeys.inMemory();
    const sealed = sealRecord('hirers', { ...hirer, version: 2 }, keys) as Record<string, unknown>;
    await keys.destroy(['hirers/h1']);
    const current = { ...hirer, name: 'Removed', email: null, otherNames: [] };
    expect(unsealForReplay('hirers', sealed, keys, current)).to.deep.equal({ ...current, version: 2 });
    expect(() => unsealForReplay('hirers', sealed, keys, undefined)).to.throw(/cannot be replayed/);
  });

  it('when the key file has a torn last line, then the keys before it load; destroying rewrites the file without the doomed keys', async () => {
    const db = join(folders.make(), 'db.json');
    const keys = SubjectKeys.load(db);
    sealRecord('hirers', hirer, keys);
    sealRecord('hirers', { ...hirer, id: 'h2' }, keys);
    await keys.flush();
    writeFileSync(keysPathFor(db), `${readFileSync(keysPathFor(db), 'utf8')}{"s":"hirers/h3","k`);
    const again = SubjectKeys.load(db);
    expect(again.subjects()).to.deep.equal(['hirers/h1', 'hirers/h2']);
    expect(await again.destroy(['hirers/h1', 'hirers/nobody'])).to.equal(1);
    expect(SubjectKeys.load(db).subjects()).to.deep.equal(['hirers/h2']);
    expect(readFileSync(keysPathFor(db), 'utf8')).not.to.include('hirers/h1');
  });
});
