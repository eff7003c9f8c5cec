import { groupOf } from '../../support/pageParts.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { Store } from '../../../data/store/store.js';
import { sweepBackupTemps } from '../../../jobs/backupJob.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { premisesFields } from '../../support/records.js';
import { REMINDER_AS_OF, spreadDemoOwners } from '../../support/reminderFixtures.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('backupfaults');

const cli = runCliInProcess;

describe('Backup faults: a damaged log tail, the reminder log', function () {
  this.timeout(60_000);
  let sink: SmtpSink | null = null;

  afterEach(async () => {
    await sink?.close();
    sink = null;
    folders.cleanUp();
  });

  it('when the log past the database file is damaged (changes not yet in the file), then backup exits 1 and writes no backup', async () => {
    const dir = folders.make();
    const dbPath = join(dir, 'dueregard.json');
    const auditPath = join(dir, 'dueregard.audit.jsonl');
    const store = await Store.open(dbPath);
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    await store.close();
    const fileAtHead = readFileSync(dbPath, 'utf8');
    const again = await Store.open(dbPath);
    for (const ref of ['P2', 'P3'])
      await again.transact('t', (tx) => tx.insert('premises', premisesFields(ref)));
    await again.close();
    writeFileSync(dbPath, fileAtHead); // as a writer killed before rewriting the file leaves it
    writeFileSync(auditPath, readFileSync(auditPath, 'utf8').replace('"Premises P3"', '"Premises X3"'));

    const r = await cli(['backup', '--db', dbPath]);
    expect(r.code, r.stdout).to.equal(1);
    expect(r.stderr).to.include('cannot be replayed');
    expect(r.stderr).to.include('no backup was taken');
    expect(readdirSync(dir)).to.not.include('backups');
  });

  it('when a backup is restored into a new folder, then remind there sends nothing already sent', async () => {
    sink = await startSmtpSink();
    const env = {
      SMTP_URL: sink.url,
      BASE_URL: 'https://dueregard.example.gov.uk',
      REMINDER_RETRY_SECONDS: '0',
    };
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await setUpDemo(store, { passwordHashCost: 10, today: REMINDER_AS_OF });
    await spreadDemoOwners(store);
    await store.close();
    const first = await cli(['remind', '--db', dbPath, '--as-of', REMINDER_AS_OF], env);
    expect(first.code, first.stderr).to.equal(0);
    const sent = sink.received.length;
    expect(sent).to.be.greaterThan(0);

    const backup = await cli(['backup', '--db', dbPath]);
    expect(backup.code, backup.stderr).to.equal(0);
    const file = groupOf(/to (\S+\.json\.gz)/, backup.stdout);
    const elsewhere = join(folders.make(), 'restored.json');
    const restored = await cli(['restore', file, '--db', elsewhere]);
    expect(restored.code, restored.stderr).to.equal(0);
    expect(readFileSync(reminderLogPathFor(elsewhere), 'utf8')).to.equal(
      readFileSync(reminderLogPathFor(dbPath), 'utf8'),
    );

    const second = await cli(['remind', '--db', elsewhere, '--as-of', REMINDER_AS_OF], env);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.include('Sent 0 of 0 emails');
    expect(sink.received).to.have.length(sent);
  });

  it('when a killed backup left its temp file, then the next backup removes it, and leaves one whose writer still runs', async () => {
    const dir = folders.make();
    const dbPath = join(dir, 'dueregard.json');
    await (await Store.open(dbPath)).close();
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    const dead = child.pid;
    const killed = join(backups, `.dueregard-backup-20261207T010203004Z.json.gz.${dead}.tmp`);
    const running = join(backups, `.dueregard-backup-20261207T010203005Z.json.gz.${process.pid}.tmp`);
    const other = join(backups, 'notes.tmp');
    for (const f of [killed, running, other]) writeFileSync(f, 'personal data');

    const r = await cli(['backup', '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(existsSync(killed)).to.equal(false);
    expect(existsSync(running)).to.equal(true);
    expect(existsSync(other)).to.equal(true);
    expect(sweepBackupTemps(dbPath), 'nothing left to remove').to.equal(0);
  });
});
