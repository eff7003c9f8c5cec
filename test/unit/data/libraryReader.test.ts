import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ImportFileError } from '../../../data/csv/decodeCsv.js';
import { parseLibrariesCsv } from '../../../data/csv/libraryReader.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('parseLibrariesCsv', () => {
  it('when the file is the ACE enhanced layout, then each library is read with the latest statutory flag', () => {
    const result = parseLibrariesCsv(fixture('libraries_ace_enhanced.csv'));
    expect(result.layout).to.equal('ace-enhanced');
    expect(result.errors).to.deep.equal([]);
    expect(result.rows[0]).to.deep.equal({
      service: 'London Borough of Barnet',
      name: 'Burnt Oak',
      address1: 'Watling Avenue',
      address2: 'Edgware',
      address3: 'Greater London',
      postcode: 'HA8 0UB',
      uprn: '200155264',
      type: 'Static Library',
      statutory: true,
      yearOpened: null,
      yearClosed: null,
      email: 'burnt.oak.library@barnet.gov.uk',
    });
    // Hertfordshire was statutory until 2022 and not in 2023: the 2023 column decides.
    expect(result.rows[3]).to.include({ service: 'Hertfordshire County Council', statutory: false });
  });

  it('when an ACE library has a closing year, then it is read as closed', () => {
    const closed = parseLibrariesCsv(fixture('libraries_ace_enhanced.csv')).rows[1];
    expect(closed).to.include({ name: 'Church End', yearClosed: 2017, statutory: false, email: null });
  });

  it('when the ACE contact column holds a website, then no email address is taken from it', () => {
    const greenwich = parseLibrariesCsv(fixture('libraries_ace_enhanced.csv')).rows[2];
    expect(greenwich).to.include({ name: 'Central Library', yearOpened: 2011, email: null });
  });

  it('when two services each have a library of the same name, then both are kept', () => {
    const names = parseLibrariesCsv(fixture('libraries_ace_enhanced.csv')).rows.filter(
      (r) => r.name === 'Central Library',
    );
    expect(names.map((r) => r.service)).to.deep.equal([
      'Royal Borough of Greenwich',
      'Hertfordshire County Council',
    ]);
  });

  it('when the file is the snake_case layout with a byte order mark, then it is read the same way', () => {
    const result = parseLibrariesCsv(fixture('libraries_ace_snake_case.csv'));
    expect(result.layout).to.equal('ace-snake-case');
    expect(result.errors).to.deep.equal([]);
    expect(result.rows.map((r) => [r.service, r.name, r.statutory, r.yearClosed])).to.deep.equal([
      ['Barnet', 'Burnt Oak', true, null],
      ['Barnet', 'Church End', false, 2017],
      ['Camden', 'Swiss Cottage', true, null],
    ]);
  });

  it('when the file is the Libraries Hacked schema, then it is read including a closed library and a quoted note', () => {
    const result = parseLibrariesCsv(fixture('libraries_schema.csv'));
    expect(result.layout).to.equal('libraries-hacked');
    expect(result.errors).to.deep.equal([]);
    expect(result.rows).to.have.length(4);
    expect(result.rows[1]).to.include({ name: 'Grahame Park', statutory: false, yearClosed: 2016 });
    expect(result.rows[2]).to.include({ name: 'Childs Hill', type: 'CRL' });
    expect(result.rows[3]).to.include({ service: 'London Borough of Camden', yearOpened: 1946 });
  });

  it('when filtered by "Barnet", then it matches "London Borough of Barnet" and the rest are skipped', () => {
    const result = parseLibrariesCsv(fixture('libraries_schema.csv'), { la: ['Barnet'] });
    expect(result.rows.map((r) => r.name)).to.deep.equal(['Burnt Oak', 'Grahame Park', 'Childs Hill']);
    expect(result.skipped).to.equal(1);
  });

  it('when filtered by "London Borough of Barnet", then it matches the snake_case service "Barnet"', () => {
    const result = parseLibrariesCsv(fixture('libraries_ace_snake_case.csv'), {
      la: ['london borough of barnet'],
    });
    expect(result.rows.map((r) => r.name)).to.deep.equal(['Burnt Oak', 'Church End']);
  });

  it('when filtered by a county name, then "County Council" is ignored but other authorities are not matched', () => {
    const result = parseLibrariesCsv(fixture('libraries_ace_enhanced.csv'), { la: ['Hertfordshire'] });
    expect(result.rows.map((r) => r.service)).to.deep.equal(['Hertfordshire County Council']);
    expect(parseLibrariesCsv(fixture('libraries_ace_enhanced.csv'), { la: ['Barn'] }).rows).to.deep.equal([]);
  });

  it('when rows are bad, then each is reported with its column and reason', () => {
    const result = parseLibrariesCsv(fixture('libraries_bad_rows.csv'));
    expect(result.errors).to.deep.equal([
      {
        row: 3,
        column: 'Library name',
        message:
          'Burnt Oak (London Borough of Barnet) is already on row 2 — each library may appear only once',
      },
      { row: 4, column: 'Year closed', message: '"Spring 2016" is not a year like 2019' },
      { row: 5, column: 'Statutory', message: '"Partly" should be Yes or No' },
    ]);
  });

  it('when the name column is missing, then the error names it', () => {
    const csv = Buffer.from('Local authority,Address 1\nLondon Borough of Barnet,Watling Avenue\n');
    expect(parseLibrariesCsv(csv).errors).to.deep.equal([
      { row: 1, column: 'Library name', message: 'the header has no "Library name" column' },
    ]);
  });

  it('when the header matches no library layout, then the file is refused', () => {
    expect(() => parseLibrariesCsv(Buffer.from('ref,name\nP1,Town Hall\n'))).to.throw(
      ImportFileError,
      'library layouts',
    );
  });
});
