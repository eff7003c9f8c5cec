import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('closedpipe');
const entry = fileURLToPath(new URL('../../../server/cli/dueregard.mjs', import.meta.url));

describe('CLI: output piped into a reader that stops early', function () {
  this.timeout(60_000);
  after(() => folders.cleanUp());

  it('when `checks --json` is piped into `head -c1`, then the command exits 0 without an error', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    // Far more flags than a pipe holds (64 kB), so the reader is gone while the command still writes.
    await store.transact('t', (tx) => {
      for (let i = 0; i < 3000; i++) tx.insert('premises', premisesFields(`P${i}`));
    });
    await store.close();
    // Spawned without blocking this process (a blocked event loop is what made tests fail by chance).
    const r = await promisify(execFile)(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${entry}" checks --json --db "${dbPath}" | head -c1; echo " \${PIPESTATUS[0]}"`,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } },
    );
    expect(r.stdout, r.stderr).to.equal('[ 0\n');
    expect(r.stderr).to.not.include('EPIPE');
  });
});
