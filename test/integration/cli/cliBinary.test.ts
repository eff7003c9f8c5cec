import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { runCliInProcess, runCliProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('cli-binary');
const fixture = fileURLToPath(new URL('../../fixtures/csv/premises.csv', import.meta.url));

// The other CLI tests call runCli in this process; these few run `npx dueregard` as a real process, to
// prove the binary itself wires arguments, output streams and exit codes to runCli.
describe('CLI: the dueregard binary as a real process', function () {
  this.timeout(60_000);
  after(() => folders.cleanUp());

  it('when --help is asked for, then it exits 0 and prints the usage on stdout', async () => {
    const r = await runCliProcess(['--help']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^Usage: npx dueregard <command>/);
    expect(r.stdout).to.include('Exit codes: 0 done');
  });

  it('when the command is unknown, then it exits 2 with the usage on stderr and nothing on stdout', async () => {
    const r = await runCliProcess(['frobnicate', '--db', join(folders.make(), 'x.json')]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.include('Unknown command "frobnicate"');
  });

  it('when a database is made and read by the binary, then it writes the file and prints JSON on stdout', async () => {
    const db = join(folders.make(), 'council.json');
    const made = await runCliProcess(['demo', '--db', db, '--as-of', '2026-11-24']);
    expect(made.code, made.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(db, 'utf8')).premises).to.be.an('array').that.is.not.empty;
    const read = await runCliProcess(['checks', '--json', '--db', db, '--as-of', '2026-11-24']);
    expect(read.code, read.stderr).to.equal(0);
    expect(JSON.parse(read.stdout)).to.be.an('array').that.is.not.empty;
  });

  it('when another process holds the database, then a writing command exits 3 naming that process', async () => {
    const db = join(folders.make(), 'council.json');
    expect((await runCliInProcess(['demo', '--db', db])).code).to.equal(0);
    const bytes = readFileSync(db);
    const holder = await Store.open(db);
    try {
      const r = await runCliProcess(['import', 'premises', fixture, '--db', db]);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include(`in use by another process (pid ${process.pid})`);
      expect(readFileSync(db).equals(bytes)).to.equal(true);
    } finally {
      await holder.close();
    }
  });
});
