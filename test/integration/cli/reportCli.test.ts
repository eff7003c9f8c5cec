import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { pdfPageCount, pdfText } from '../../support/pdfText.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const fixtures = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));
const folders = tempFolders('report-cli');
const AS_OF = '2026-11-24';

describe('CLI: report and import training', () => {
  let dir: string;
  let db: string;
  before(async () => {
    // One demo database for the read-only report runs; writing tests copy it first.
    dir = folders.make();
    db = join(dir, 'demo.json');
    const r = await runCliInProcess(['demo', '--db', db, '--as-of', AS_OF]);
    expect(r.code, r.stderr).to.equal(0);
  });
  after(() => folders.cleanUp());

  /** A copy of the demo database (and its audit log) to write to. */
  function copyOfDemo(): string {
    const copy = join(folders.make(), 'council.json');
    writeFileSync(copy, readFileSync(db));
    writeFileSync(
      copy.replace(/\.json$/, '.audit.jsonl'),
      readFileSync(db.replace(/\.json$/, '.audit.jsonl')),
    );
    return copy;
  }

  it('when no options are given, then the current quarter is printed as a stand-alone HTML document', async () => {
    const r = await runCliInProcess(['report', '--db', db, '--as-of', AS_OF]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^<!DOCTYPE html>/);
    expect(r.stdout).to.include('Prevent board report: October to December 2026');
    expect(r.stdout).to.include('Leisure and Venues');
  });

  it('when --format csv is asked for, then stdout is the CSV with its byte-order mark, readable by csv-parse', async () => {
    const r = await runCliInProcess([
      'report',
      '--db',
      db,
      '--as-of',
      AS_OF,
      '--format',
      'csv',
      '--period',
      '2026-Q4',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.charCodeAt(0)).to.equal(0xfeff);
    const rows = parse(r.stdout, { bom: true }) as string[][];
    expect(rows.find((row) => row[0] === 'Leisure and Venues')?.slice(0, 7)).to.deep.equal([
      'Leisure and Venues',
      '30',
      '9',
      '1',
      '30',
      '90',
      'Yes',
    ]);
  });

  it('when --format pdf and --out are given, then a PDF of its pages is written and stdout stays empty', async () => {
    const out = join(folders.make(), 'board.pdf');
    const r = await runCliInProcess([
      'report',
      '--db',
      db,
      '--as-of',
      AS_OF,
      '--format',
      'pdf',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/Board report for 2026-Q4 written to/);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 4).toString('latin1')).to.equal('%PDF');
    expect(pdfPageCount(pdf)).to.equal(4);
    expect(pdfText(pdf)).to.include('Northbrook Prevent partnership action plan');
  });

  it('when the options are wrong, then it exits 2 with usage and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'pdf'], /A PDF needs --out FILE/],
      [['--period', '2026-Q5'], /--period: The period must be a quarter like 2026-Q4/],
      [['--period', '2027-Q1'], /--period: 2027-Q1 has not started yet/],
      [['--format', 'docx'], /--format must be html, csv or pdf/],
      [['extra'], /Unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCliInProcess(['report', '--db', db, '--as-of', AS_OF, ...args]);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(message);
      expect(r.stderr, args.join(' ')).to.match(/Usage: npx dueregard report \[--period YYYY-Qn\]/);
      expect(r.stdout, args.join(' ')).to.equal('');
    }
  });

  it('when a good training file is imported twice, then records are created, then unchanged, and the department counts each person', async () => {
    const copy = copyOfDemo();
    const file = join(fixtures, 'training.csv');
    const dry = await runCliInProcess([
      'import',
      'training',
      file,
      '--db',
      copy,
      '--as-of',
      AS_OF,
      '--dry-run',
    ]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/Dry run, nothing written: created 4, updated 0, unchanged 0, skipped 0/);
    const first = await runCliInProcess(['import', 'training', file, '--db', copy, '--as-of', AS_OF]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/created 4, updated 0, unchanged 0, skipped 0/);
    const bytes = readFileSync(copy);
    const again = await runCliInProcess(['import', 'training', file, '--db', copy, '--as-of', AS_OF]);
    expect(again.stdout).to.match(/created 0, updated 0, unchanged 4, skipped 0/);
    expect(readFileSync(copy).equals(bytes)).to.equal(true);
    // Housing is now counted from its staff records: HN201 in date, HN202 lapsed (February 2024). 1 of 40
    // is 2.5%, rounded half up.
    const csv = await runCliInProcess(['report', '--db', copy, '--as-of', AS_OF, '--format', 'csv']);
    const rows = parse(csv.stdout, { bom: true }) as string[][];
    expect(rows.find((row) => row[0] === 'Housing and Neighbourhoods')?.slice(0, 8)).to.deep.equal([
      'Housing and Neighbourhoods',
      '40',
      '1',
      '1',
      '3',
      '90',
      'Yes',
      'Staff records',
    ]);
  });

  it('when a training file has bad rows, then it exits 1 listing each by row and column and the database is byte-for-byte unchanged', async () => {
    const copy = copyOfDemo();
    const bytes = readFileSync(copy);
    const audit = readFileSync(copy.replace(/\.json$/, '.audit.jsonl'));
    const r = await runCliInProcess([
      'import',
      'training',
      join(fixtures, 'training_bad.csv'),
      '--db',
      copy,
      '--as-of',
      AS_OF,
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/The file was refused: 7 problems; nothing was written/);
    for (const line of [
      'row 3, column "department": the department is blank',
      'row 4, column "staff_id": the staff id is blank',
      'row 5, column "training_type"',
      'row 6, column "completed_on"',
      'row 7, column "completed_on"',
      'row 8, column "staff_id"',
      'row 9, column "department": there is no department called "Parks and Gardens"',
    ]) {
      expect(r.stderr).to.include(line);
    }
    expect(readFileSync(copy).equals(bytes)).to.equal(true);
    expect(readFileSync(copy.replace(/\.json$/, '.audit.jsonl')).equals(audit)).to.equal(true);
  });

  it('when import training has no file, then it exits 2; a missing file exits 1', async () => {
    expect((await runCliInProcess(['import', 'training', '--db', db])).code).to.equal(2);
    const r = await runCliInProcess(['import', 'training', join(fixtures, 'nope.csv'), '--db', db]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/no such file/);
  });
});
