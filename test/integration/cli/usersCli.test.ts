import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { verifyPassword } from '../../../server/services/passwords.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('users-cli');

describe('CLI: users add', () => {
  after(() => folders.cleanUp());

  it('when an account is added, then it prints a one-time password that signs in, and a repeat is refused', async () => {
    const db = join(folders.make(), 'council.json');
    const r = await runCliInProcess([
      'users',
      'add',
      '--email',
      'Ann.Lead@Example.gov.uk',
      '--name',
      'Ann Lead',
      '--role',
      'coordinator',
      '--db',
      db,
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const password = /One-time password: (\S+)/.exec(r.stdout)![1];
    const store = await Store.open(db, { write: false });
    const user = store.list('users').find((u) => u.email === 'ann.lead@example.gov.uk')!;
    expect(user.role).to.equal('coordinator');
    expect(user.passwordHash).to.not.include(password);
    expect(await verifyPassword(password, user.passwordHash)).to.equal(true);

    const again = await runCliInProcess([
      'users',
      'add',
      '--email',
      'ann.lead@example.gov.uk',
      '--name',
      'Ann',
      '--role',
      'viewer',
      '--db',
      db,
    ]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/already exists/);
  });

  it('when the role is unknown or a required option is missing, then it exits 2', async () => {
    const db = join(folders.make(), 'council.json');
    const bad = await runCliInProcess([
      'users',
      'add',
      '--email',
      'a@b.gov.uk',
      '--name',
      'A',
      '--role',
      'admin',
      '--db',
      db,
    ]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(
      /--role must be one of coordinator, facilities, library-manager, education, viewer/,
    );
    expect((await runCliInProcess(['users', 'add', '--email', 'a@b.gov.uk', '--db', db])).code).to.equal(2);
  });

  it('when a library named with --library does not exist, then it exits 1 and adds nobody', async () => {
    const db = join(folders.make(), 'council.json');
    const r = await runCliInProcess([
      'users',
      'add',
      '--email',
      'l@b.gov.uk',
      '--name',
      'L',
      '--role',
      'library-manager',
      '--library',
      'Nowhere Library',
      '--db',
      db,
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/No library called "Nowhere Library"/);
    // Refused before anything was written: the database it named was not even created.
    expect(existsSync(db)).to.equal(false);
  });
});
