import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../../server/cli/cli.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('report-areas-cli');
const AS_OF = '2026-11-24';

/** Runs the CLI in this process, as `npx dueregard` would, collecting what it prints. */
async function dueregard(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => {
      out += `${s}\n`;
    },
    err: (s) => {
      err += `${s}\n`;
    },
    isTty: false,
    env: { PASSWORD_HASH_COST: '10' },
  });
  return { code, out, err };
}

describe('CLI: the board report on the demo covers every area with figures', () => {
  let db: string;
  before(async () => {
    db = join(folders.make(), 'demo.json');
    const r = await dueregard(['demo', '--db', db, '--as-of', AS_OF]);
    expect(r.code, r.err).to.equal(0);
  });
  after(() => folders.cleanUp());

  it('when report --format csv is run, then Premises, Hall hire, Libraries and Schools each show met, in scope and a per cent, with last quarter beside them', async () => {
    const r = await dueregard(['report', '--db', db, '--as-of', AS_OF, '--format', 'csv']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).not.to.include('No data,,,No data');
    const rows = parse(r.out, { bom: true, relax_column_count: true }) as string[][];
    const start = rows.findIndex((row) => row[0] === 'Area');
    const lines = rows.slice(start + 1, start + 5);
    expect(lines.map((l) => l[0])).to.deep.equal(['Premises', 'Hall hire', 'Libraries', 'Schools']);
    for (const [area, , met, total, percent] of lines) {
      expect(Number(total), area).to.be.greaterThan(0);
      expect(Number(met), area).to.be.within(0, Number(total));
      // Rounded half up from the counts.
      expect(Number(percent), area).to.equal(
        Math.floor((Number(met) * 200 + Number(total)) / (Number(total) * 2)),
      );
    }
    const libraries = lines.find((l) => l[0] === 'Libraries')!;
    const schools = lines.find((l) => l[0] === 'Schools')!;
    // Last quarter's figures are there for both, as of 30 September.
    expect(libraries[5]).to.match(/^\d+$/);
    expect(schools[5]).to.match(/^\d+$/);
  });
});
