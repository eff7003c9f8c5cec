import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runCli } from '../../../server/cli/cli.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url));

interface StoredSchool {
  id: string;
  urn: string;
  name: string;
  statusName: string;
  inScope: boolean;
  version: number;
  headFirstName: string | null;
  headLastName: string | null;
}

describe('CLI: import schools (GIAS)', function () {
  this.timeout(60_000);
  const folders = tempFolders('schools-cli');
  let db: string;
  beforeEach(() => {
    db = join(folders.make(), 'db.json');
  });
  after(() => folders.cleanUp());

  const importFile = async (name: string, ...args: string[]) =>
    runCliInProcess(['import', 'schools', fixture(name), '--db', db, ...args]);
  const schools = (): StoredSchool[] => JSON.parse(readFileSync(db, 'utf8')).schools;
  const byUrn = () => new Map(schools().map((s) => [s.urn, s]));
  /** The database and its audit log, byte for byte. */
  const snapshot = () => ({
    db: readFileSync(db),
    audit: existsSync(db.replace(/\.json$/, '.audit.jsonl'))
      ? readFileSync(db.replace(/\.json$/, '.audit.jsonl'))
      : null,
  });

  it('when the 2018/19 133-column Windows-1252 file is imported, then every school is created with ’ and é decoded', async () => {
    const r = await importFile('gias_2018_133.csv');
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 5, updated 0, unchanged 0, skipped 0');
    const s = byUrn();
    expect(s.get('131001')).to.include({
      name: 'St Mary’s CofE Primary School',
      headFirstName: 'Zoë',
      headLastName: 'O’Connor',
    });
    expect(s.get('131002')?.name).to.equal('École Française de Barnet');
    expect(s.get('131005')?.name).to.equal('Renée Clarke Academy');
  });

  it('when the 2024 139-column CRLF file is imported, then its schools are created the same way', async () => {
    const r = await importFile('gias_2024_139.csv');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 3, updated 0, unchanged 0, skipped 0');
    expect(byUrn().get('140001')?.name).to.equal('St Thérèse’s RC Primary School');
    expect(byUrn().get('140003')?.name).to.equal('Holland Park Café School');
  });

  it('when filtered with --la by code, then only that authority’s schools are imported and the rest counted as skipped', async () => {
    const r = await importFile('gias_2018_133.csv', '--la', '302');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 3, updated 0, unchanged 0, skipped 2');
    expect([...byUrn().keys()].sort()).to.deep.equal(['131001', '131002', '131004']);
  });

  it('when filtered with --la by name (any case) more than once, then schools of each named authority are imported', async () => {
    const r = await importFile('gias_2018_133.csv', '--la', 'camden', '--la', 'Islington');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 2, updated 0, unchanged 0, skipped 3');
    expect([...byUrn().keys()].sort()).to.deep.equal(['131003', '131005']);
  });

  it('when schools are imported, then only open secondary-phase schools are in SPOC scope', async () => {
    expect((await importFile('gias_scope.csv')).code).to.equal(0);
    const scope = Object.fromEntries(schools().map((s) => [s.name, s.inScope]));
    expect(scope).to.deep.equal({
      'Open Secondary School': true,
      'Closing All-Through School': true,
      'Middle Deemed Secondary School': true,
      'Sixth Form College': true,
      'Older Spelling All Through School': true,
      'Closed Secondary School': false,
      'Proposed Free School': false,
      'Open Primary School': false,
      'Oak Special School': false,
    });
  });

  it('when SPOC_PHASES is configured, then scope follows it', async () => {
    const r = await runCliInProcess(['import', 'schools', fixture('gias_scope.csv'), '--db', db], {
      SPOC_PHASES: 'Primary',
    });
    expect(r.code).to.equal(0);
    expect(
      schools()
        .filter((s) => s.inScope)
        .map((s) => s.name),
    ).to.deep.equal(['Open Primary School']);
  });

  it('when the same file is imported again, then everything is unchanged and the database is not rewritten', async () => {
    expect((await importFile('gias_2018_133.csv')).code).to.equal(0);
    const before = snapshot();
    const r = await importFile('gias_2018_133.csv');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 0, updated 0, unchanged 5, skipped 0');
    expect(snapshot()).to.deep.equal(before);
  });

  it('when a later file closes a school and renames another, then both are updated in place and the closed one leaves scope', async () => {
    expect((await importFile('gias_2018_133.csv')).code).to.equal(0);
    const first = byUrn();
    expect(first.get('131003')?.inScope).to.equal(true);
    const r = await importFile('gias_2018_133_later.csv');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal('created 0, updated 2, unchanged 3, skipped 0');
    const later = byUrn();
    expect(later.get('131003')).to.include({
      id: first.get('131003')?.id,
      statusName: 'Closed',
      inScope: false,
      version: 2,
    });
    expect(later.get('131005')).to.include({
      id: first.get('131005')?.id,
      name: 'Renée Clarke Academy Trust School',
    });
    expect(later.get('131001')?.version).to.equal(1);
  });

  it('when --dry-run is given, then the counts are printed and nothing is written', async () => {
    expect((await importFile('gias_2024_139.csv')).code).to.equal(0);
    const before = snapshot();
    const r = await importFile('gias_2018_133.csv', '--dry-run');
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal(
      'Dry run, nothing written: created 5, updated 0, unchanged 0, skipped 0',
    );
    expect(snapshot()).to.deep.equal(before);
  });

  describe('refused files (exit 1, every reason listed, the database byte for byte unchanged)', () => {
    const refused: [string, string, string[]][] = [
      [
        'a required column is missing',
        'gias_no_postcode.csv',
        ['row 1, column "Postcode": the header has no "Postcode" column'],
      ],
      [
        'the download was cut short',
        'gias_truncated.csv',
        ['row 4, column "EstablishmentName": a quoted value starts here but is never closed'],
      ],
      [
        'the file is binary (an Excel workbook)',
        'not_a_csv.xlsx',
        ['row 1: The file is a zip file, such as an Excel workbook (.xlsx), not a CSV text file'],
      ],
      ['the file is empty', 'empty.csv', ['row 1: The file is empty.']],
      [
        'a URN appears twice',
        'gias_repeated_urn.csv',
        [
          'row 6, column "URN": URN 131002 is already on row 3 — each school may appear only once in the file',
        ],
      ],
      [
        'several rows are bad',
        'gias_bad_rows.csv',
        [
          'row 3, column "URN": "13I002" is not a URN',
          'row 4, column "URN": URN 131001 is already on row 2',
          'row 5, column "CloseDate": "31-02-2019" is not a date like 01-09-2024 (day-month-year)',
        ],
      ],
    ];
    for (const [when, file, reasons] of refused) {
      it(`when ${when}, then it is refused with the row-level reason`, async () => {
        expect((await importFile('gias_2024_139.csv')).code).to.equal(0);
        const before = snapshot();
        const r = await importFile(file);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.match(/^The file was refused: \d+ problems?; nothing was written\./);
        for (const reason of reasons) expect(r.stderr).to.include(reason);
        expect(snapshot()).to.deep.equal(before);
      });
    }

    it('when the first import into a new database is refused, then no database file is even created', async () => {
      const r = await importFile('gias_repeated_urn.csv');
      expect(r.code).to.equal(1);
      expect(existsSync(db)).to.equal(false);
    });
  });

  it('when no file or an empty --la is given, then it is a usage error (exit 2)', async () => {
    expect((await runCliInProcess(['import', 'schools', '--db', db])).code).to.equal(2);
    expect((await importFile('gias_2018_133.csv', '--la', ' ')).code).to.equal(2);
  });

  it('when the file does not exist, then it is refused (exit 1) naming it', async () => {
    const r = await runCliInProcess(['import', 'schools', join(folders.make(), 'missing.csv'), '--db', db]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('no such file');
  });

  it('when run on a terminal, then progress goes to stderr; piped, stderr stays empty', async () => {
    const run = async (isTty: boolean) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['import', 'schools', fixture('gias_2018_133.csv'), '--db', db], {
        out: (s) => out.push(s),
        err: (s) => err.push(s),
        isTty,
        env: { PASSWORD_HASH_COST: '10' },
      });
      return { code, out, err };
    };
    const tty = await run(true);
    expect(tty.code).to.equal(0);
    expect(tty.err.join('\n')).to.match(/Reading .* MB…/);
    expect(tty.err.join('\n')).to.include('Read 5 schools; matching on URN…');
    expect(tty.err.join('\n')).to.include('Saving 5 new and 0 changed schools…');
    expect(tty.out).to.deep.equal(['created 5, updated 0, unchanged 0, skipped 0']);
    const piped = await run(false);
    expect(piped.err).to.deep.equal([]);
    expect(piped.out).to.deep.equal(['created 0, updated 0, unchanged 5, skipped 0']);
  });
});
