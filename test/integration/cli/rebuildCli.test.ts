import { groupOf } from '../../support/pageParts.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { premisesFields } from '../../support/records.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('rebuild');

const cli = runCliInProcess;

async function addPremises(dbPath: string, ...refs: string[]): Promise<void> {
  const store = await Store.open(dbPath);
  for (const ref of refs) await store.transact('t', (tx) => tx.insert('premises', premisesFields(ref)));
  await store.close();
}

const refsIn = async (dbPath: string) =>
  (await Store.open(dbPath, { write: false })).list('premises').map((p) => p.ref);

describe('CLI: rebuild --from-log', function () {
  this.timeout(60_000);
  afterEach(() => folders.cleanUp());

  it('when the database file is damaged and the log intact, then rebuild restores every change from the last backup and the log, keeps the damaged file and names passwords it cannot bring back', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    await addPremises(dbPath, 'P1', 'P2');
    expect((await cli(['backup', '--db', dbPath])).code).to.equal(0);
    await addPremises(dbPath, 'P3');
    const added = await cli([
      'users',
      'add',
      '--db',
      dbPath,
      '--email',
      'new@council.test',
      '--name',
      'New Officer',
      '--role',
      'viewer',
    ]);
    expect(added.code, added.stderr).to.equal(0);
    await addPremises(dbPath, 'P4');
    writeFileSync(dbPath, '{"schemaVersion":1,"premises":[{"id":'); // a disk error

    const refused = await cli(['checks', '--db', dbPath]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include('not valid JSON');

    const r = await cli(['rebuild', '--from-log', '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(
      /started from the backup dueregard-backup-\S+ \(entry 2\) and replayed 3 entries, up to entry 5/,
    );
    expect(r.stderr).to.include('new@council.test');
    expect(await refsIn(dbPath)).to.deep.equal(['P1', 'P2', 'P3', 'P4']);
    const store = await Store.open(dbPath, { write: false });
    expect(store.list('users').map((u) => u.email)).to.deep.equal(['new@council.test']);
    expect(store.list('users')[0]?.passwordHash, 'never a usable password').to.match(/^secret:/);
    const kept = groupOf(/kept in (\S+)\./, r.stdout);
    expect(readFileSync(join(kept, 'dueregard.json'), 'utf8')).to.include('"premises":[{"id":');

    const verify = await cli(['audit', 'verify', '--db', dbPath]);
    expect(verify.code, verify.stderr).to.equal(0);
    await addPremises(dbPath, 'P5');
    expect(await refsIn(dbPath)).to.deep.equal(['P1', 'P2', 'P3', 'P4', 'P5']);
  });

  it('when there is no backup, then the whole log is replayed onto an empty database', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    await addPremises(dbPath, 'P1', 'P2');
    writeFileSync(dbPath, 'garbage');
    const r = await cli(['rebuild', '--from-log', '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('started from an empty database and replayed 2 entries');
    expect(await refsIn(dbPath)).to.deep.equal(['P1', 'P2']);
  });

  it('when the log itself is damaged, then rebuild refuses (exit 1) and changes nothing', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
    await addPremises(dbPath, 'P1', 'P2');
    writeFileSync(dbPath, 'garbage');
    writeFileSync(auditPath, readFileSync(auditPath, 'utf8').replace('"Premises P1"', '"Premises X1"'));
    const r = await cli(['rebuild', '--from-log', '--db', dbPath]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('does not verify');
    expect(readFileSync(dbPath, 'utf8')).to.equal('garbage');
    expect(existsSync(join(dbPath, '..', 'backups'))).to.equal(false);
  });

  it('when the log was copied back from an older version, then start-up names rebuild, and rebuild goes back to what the log holds, saying what is left out', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
    await addPremises(dbPath, 'P1');
    const older = readFileSync(auditPath, 'utf8');
    await addPremises(dbPath, 'P2');
    writeFileSync(auditPath, older);
    const users = await cli([
      'users',
      'add',
      '--db',
      dbPath,
      '--email',
      'a@council.test',
      '--name',
      'A',
      '--role',
      'viewer',
    ]);
    expect(users.code).to.equal(1);
    expect(users.stderr).to.include('rebuild --from-log');

    const r = await cli(['rebuild', '--from-log', '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('recorded changes up to entry 2; those after entry 1 are not in the log');
    expect(await refsIn(dbPath)).to.deep.equal(['P1']);
  });

  it('when asked without --from-log, then it is a usage error', async () => {
    const r = await cli(['rebuild', '--db', join(folders.make(), 'x.json')]);
    expect(r.code).to.equal(2);
  });
});
