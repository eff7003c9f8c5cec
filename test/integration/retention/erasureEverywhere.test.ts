import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { listBackups, restoreBackup, runBackup } from '../../../jobs/backupJob.js';
import { runCli } from '../../../server/cli/cli.js';
import { createAuditService } from '../../../server/services/auditService.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('erasure');

/** Runs the CLI in-process; returns its exit code and what it printed. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (s) => {
      out += `${s}\n`;
    },
    err: (s) => {
      err += `${s}\n`;
    },
    isTty: false,
    env: {},
  });
  return { code, out, err };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every form a person or grep could read a value in: as written, JSON-escaped, base64. */
function formsOf(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')];
}

/**
 * The personal data of the demo's hirers and speakers, long enough to be unambiguous. An organisation's
 * name is kept as evidence by design, so a value that is part of one (an "other name" like it) is left out.
 */
function personalValues(store: Store): string[] {
  const organisations = store.list('hirers').map((h) => h.organisation ?? '');
  const values = new Set<string>();
  for (const h of store.list('hirers')) {
    for (const v of [h.name, h.email, h.phone, h.address, ...h.otherNames])
      if (v && v.length >= 6) values.add(v);
  }
  for (const b of store.list('bookings'))
    for (const s of b.speakers) if (s.name.length >= 6) values.add(s.name);
  return [...values].filter((v) => !organisations.some((o) => o.includes(v)));
}

describe('Retention: erased personal data is nowhere under the database folder', function () {
  this.timeout(120_000);
  afterEach(() => folders.cleanUp());

  it('when the demo is purged as of 2040, then no file nor a fresh backup holds a hirer or speaker name, email or phone, and the log verifies', async () => {
    const dir = folders.make();
    const db = join(dir, 'dueregard.json');
    expect((await cli(['demo', '--db', db])).code).to.equal(0);
    expect((await cli(['remind', '--db', db])).code).to.equal(0);
    const store = await Store.open(db, { write: false });
    const values = personalValues(store);
    expect(values.length).to.be.greaterThan(10);

    const purge = await cli(['retention', '--as-of', '2040-01-01', '--db', db]);
    expect(purge.code, purge.err).to.equal(0);
    for (const v of values) expect(purge.out).not.to.include(v);
    const backup = await cli(['backup', '--db', db, '--dir', join(dir, 'backups')]);
    expect(backup.code, backup.err).to.equal(0);

    const found: string[] = [];
    for (const file of filesUnder(dir)) {
      let bytes = readFileSync(file);
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
      const text = bytes.toString('latin1');
      for (const v of values)
        for (const form of formsOf(v))
          if (text.includes(Buffer.from(form).toString('latin1'))) found.push(`${v} in ${file}`);
    }
    expect(found, found.join('\n')).to.deep.equal([]);
    const verify = await cli(['audit', 'verify', '--db', db]);
    expect(verify.code, verify.out + verify.err).to.equal(0);

    // No key of an erased subject is left to open what the log sealed; the log reads "erased" there.
    const after = await Store.open(db);
    const erasedHirers = after.list('hirers').filter((h) => h.personalDataRemoved);
    expect(erasedHirers.length).to.be.greaterThan(3);
    for (const h of erasedHirers) expect(after.keys.has(`hirers/${h.id}`), h.id).to.equal(false);
    for (const b of after.list('bookings').filter((x) => x.personalDataRemoved))
      expect(after.keys.has(`bookings/${b.id}`), b.id).to.equal(false);
    const audit = createAuditService(after);
    const first = erasedHirers[0]!;
    const [created] = await audit.about(new Set([first.id]));
    expect((created?.after as { name?: string } | undefined)?.name).to.equal('erased');
    const csv = await audit.exportCsv('test', { recordId: first.id });
    expect(csv.csv).to.include('erased');
    await after.close();
  });

  it('when an erased hirer is exported, then the export says so and when', async () => {
    const dir = folders.make();
    const db = join(dir, 'dueregard.json');
    expect((await cli(['demo', '--db', db])).code).to.equal(0);
    expect((await cli(['retention', '--as-of', '2040-01-01', '--db', db])).code).to.equal(0);
    const store = await Store.open(db, { write: false });
    const hirer = store.list('hirers').find((h) => h.personalDataRemoved)!;
    const run = await cli(['export', 'hirer', hirer.id, '--db', db]);
    expect(run.code, run.err).to.equal(0);
    expect(run.err).to.match(/personal data was erased under the retention policy on \d{1,2} \w+ \d{4}/);
    const data = JSON.parse(run.out) as { erased?: { at: string } };
    expect(data.erased?.at).to.be.a('string');
  });

  it('when retention is dry-run, then it prints the counts and writes nothing', async () => {
    const dir = folders.make();
    const db = join(dir, 'dueregard.json');
    expect((await cli(['demo', '--db', db])).code).to.equal(0);
    const before = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]);
    const dry = await cli(['retention', '--dry-run', '--as-of', '2040-01-01', '--db', db]);
    expect(dry.code, dry.err).to.equal(0);
    expect(dry.out).to.match(
      /Dry run, nothing written: would remove personal data older than 6 years .* from \d+ records/,
    );
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])).to.deep.equal(before);
    const missing = await cli(['retention', '--dry-run', '--db', join(dir, 'nothing.json')]);
    expect(missing.code).to.equal(1);
    expect(existsSync(join(dir, 'nothing.json'))).to.equal(false);
  });
});

describe('Retention and backups', function () {
  this.timeout(120_000);
  afterEach(() => folders.cleanUp());

  it('when a backup is restored into a new folder, then the keys come with it and the log still reads every name', async () => {
    const dir = folders.make();
    const db = join(dir, 'dueregard.json');
    expect((await cli(['demo', '--db', db])).code).to.equal(0);
    const backup = await runBackup({ path: db }, { dir: join(dir, 'backups') });
    const other = join(folders.make(), 'restored.json');
    await restoreBackup(other, backup.file);
    const store = await Store.open(other, { write: false });
    const hirer = store.list('hirers')[0]!;
    const [created] = await createAuditService(store).about(new Set([hirer.id]));
    expect((created?.after as { name?: string } | undefined)?.name).to.equal(hirer.name);
    expect(readFileSync(join(dir, 'dueregard.audit.jsonl'), 'latin1')).not.to.include(hirer.name);
  });

  it('when retention erases data after a backup, then later backups name that backup, and one holding data erased over 30 days ago is removed', async () => {
    const dir = folders.make();
    const db = join(dir, 'dueregard.json');
    const backups = join(dir, 'backups');
    expect((await cli(['demo', '--db', db])).code).to.equal(0);
    const old = await runBackup({ path: db }, { dir: backups });
    expect(old.holdingErased).to.deep.equal([]);
    expect((await cli(['retention', '--as-of', '2040-01-01', '--db', db])).code).to.equal(0);

    const soon = await cli(['backup', '--db', db, '--dir', backups]);
    expect(soon.code, soon.err).to.equal(0);
    expect(soon.out).to.match(
      /dueregard-backup-\S+\.json\.gz \(taken .*\) still holds personal data erased on .*; it is removed 30 days after that\./,
    );
    expect(listBackups(db, backups)).to.include(old.file);

    const later = await runBackup(
      { path: db },
      { dir: backups, now: () => new Date(Date.now() + 31 * 86_400_000) },
    );
    expect(later.removed).to.include(old.file);
    expect(listBackups(db, backups)).not.to.include(old.file);
    expect(later.holdingErased).to.deep.equal([]);
  });
});
