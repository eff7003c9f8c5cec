import { groupOf } from '../../support/pageParts.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { createHash } from 'node:crypto';
import { startSmtpSink } from '../../support/smtpSink.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('users-cli');

describe('CLI: users add', () => {
  after(() => folders.cleanUp());

  it('when an account is added without a mail server, then it prints the single-use invitation link, and a repeat is refused', async () => {
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
    const token = groupOf(/single-use link .*: http:\/\/localhost:3000\/invitation\/([\w-]+)$/m, r.stdout);
    const store = await Store.open(db, { write: false });
    const user = store.list('users').find((u) => u.email === 'ann.lead@example.gov.uk')!;
    expect(user.role).to.equal('coordinator');
    // Only the link's hash is kept; it works for 72 hours.
    expect(JSON.stringify(user)).to.not.include(token);
    expect(user.invitationTokenHash).to.equal(createHash('sha256').update(token).digest('hex'));
    const hours = (Date.parse(user.invitationExpiresAt!) - Date.parse(user.createdAt)) / 3_600_000;
    expect(Math.round(hours)).to.equal(72);

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

  it('when a mail server is configured, then the invitation is emailed and no link is printed', async () => {
    const smtp = await startSmtpSink();
    try {
      const db = join(folders.make(), 'council.json');
      const r = await runCliInProcess(
        ['users', 'add', '--email', 'ed@example.gov.uk', '--name', 'Ed', '--role', 'education', '--db', db],
        {
          SMTP_URL: smtp.url,
          BASE_URL: 'https://dueregard.example.gov.uk',
        },
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/emailed the invitation/);
      expect(r.stdout).to.not.include('/invitation/');
      expect(smtp.received).to.have.length(1);
      expect(smtp.received[0]!.to).to.deep.equal(['ed@example.gov.uk']);
      expect(smtp.received[0]!.decoded).to.match(
        /https:\/\/dueregard\.example\.gov\.uk\/invitation\/[\w-]{43}/,
      );
    } finally {
      await smtp.close();
    }
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
    // Refused before any change: not even the database file is created.
    expect(existsSync(db)).to.equal(false);
  });

  it('when a library manager is added without a library, then it exits 1 and adds nobody', async () => {
    const db = join(folders.make(), 'council.json');
    const r = await runCliInProcess([
      'users',
      'add',
      '--email',
      'm@b.gov.uk',
      '--name',
      'M',
      '--role',
      'library-manager',
      '--db',
      db,
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('There are no libraries to manage yet');
    // Refused before any change: not even the database file is created.
    expect(existsSync(db)).to.equal(false);
  });
});
