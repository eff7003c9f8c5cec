import { expect } from 'chai';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyArchiveRecords, writeArchiveFile } from '../../../data/store/archiveFiles.js';
import { ReminderLog, reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { Store } from '../../../data/store/store.js';
import { runBackup } from '../../../jobs/backupJob.js';
import { createMailer } from '../../../jobs/mailer.js';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and folder under `dir` with its mode, e.g. { "var/test.json": 0o600 }. */
function modes(dir: string, under = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of readdirSync(join(dir, under), { withFileTypes: true })) {
    const rel = join(under, e.name);
    out[rel] = mode(join(dir, rel));
    if (e.isDirectory()) Object.assign(out, modes(dir, rel));
  }
  return out;
}

describe('Reliability: files only their owner can read, whatever the umask (SPEC §10)', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dueregard-modes-'));
    // The loosest umask there is: every file would be 0666 and every folder 0777 unless set explicitly.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('when the store, its audit log, an archive, the reminder log, an outbox email and a backup are written under umask 000, then files are 0600 and folders 0700', async () => {
    const dbPath = join(root, 'var', 'council.json');
    const store = await Store.open(dbPath);
    try {
      await store.transact('test', (tx) =>
        tx.insert('departments', {
          name: 'Housing',
          staffRequiringTraining: 10,
          staffTrained: 5,
          target: 90,
        } as never),
      );
      await writeArchiveFile(dbPath, 2024, emptyArchiveRecords(), new Date().toISOString());
      await ReminderLog.open(reminderLogPathFor(dbPath), { write: true }).append({
        at: new Date().toISOString(),
        status: 'sent',
        kind: 'digest',
        to: 'someone@council.test',
        subject: 'Due soon',
        messageId: '<1@test>',
        asOf: '2026-03-14',
        reminders: [],
      });
      const mailer = createMailer({
        smtpUrl: null,
        outboxDir: join(root, 'var', 'outbox'),
        from: 'dr@council.test',
      });
      await mailer.send({
        to: 'someone@council.test',
        subject: 'Hi',
        text: 'Hello',
        html: '<p>Hello</p>',
        messageId: '<2@test>',
      });
      await runBackup(store);
      await store.flushed();
    } finally {
      await store.close();
    }
    const found = modes(root);
    const wrong = Object.entries(found).filter(([path, m]) => {
      const isDir = statSync(join(root, path)).isDirectory();
      return m !== (isDir ? 0o700 : 0o600);
    });
    expect(Object.keys(found)).to.include.members([
      'var',
      join('var', 'council.json'),
      join('var', 'council.audit.jsonl'),
      join('var', 'backups'),
      join('var', 'outbox'),
    ]);
    expect(Object.keys(found).some((p) => p.includes('archive-2024'))).to.equal(true);
    expect(Object.keys(found).some((p) => p.endsWith('.eml'))).to.equal(true);
    expect(readdirSync(join(root, 'var', 'backups'))).to.have.length(1);
    expect(
      wrong.map(([p, m]) => `${p}: ${m.toString(8)}`),
      'files 0600, folders 0700',
    ).to.deep.equal([]);
  });

  it('when files of the store were left readable by others, then opening it for writing closes them', async () => {
    const dbPath = join(root, 'council.json');
    await (await Store.open(dbPath)).close();
    writeFileSync(join(root, 'council.audit.jsonl'), '', { mode: 0o644 });
    chmodSync(dbPath, 0o644);
    chmodSync(join(root, 'council.audit.jsonl'), 0o666);
    const store = await Store.open(dbPath);
    await store.close();
    expect(mode(dbPath)).to.equal(0o600);
    expect(mode(join(root, 'council.audit.jsonl'))).to.equal(0o600);
  });
});
