import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ImportFileError } from '../../../data/csv/decodeCsv.js';
import { parseGiasCsv } from '../../../data/csv/giasReader.js';
import { generateGiasCsv } from '../../bench/giasGenerator.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('parseGiasCsv', () => {
  it('when the file has the 2018/19 133-column layout in Windows-1252, then every school is read with its fields', () => {
    const result = parseGiasCsv(fixture('gias_2018_133.csv'));
    expect(result.errors).to.deep.equal([]);
    expect(result.skipped).to.equal(0);
    expect(result.rows.map((r) => r.urn)).to.deep.equal(['131001', '131002', '131003', '131004', '131005']);
    expect(result.rows[0]).to.deep.equal({
      urn: '131001',
      laCode: '302',
      laName: 'Barnet',
      establishmentNumber: '2001',
      name: 'St Mary’s CofE Primary School',
      typeName: 'Voluntary aided school',
      phaseName: 'Primary',
      statusName: 'Open',
      street: 'Dollis Road',
      locality: null,
      address3: null,
      town: 'London',
      county: null,
      postcode: 'N3 1BT',
      headTitle: 'Ms',
      headFirstName: 'Zoë',
      headLastName: 'O’Connor',
      openDate: null,
      closeDate: null,
      website: 'www.school131001.example.sch.uk',
      telephone: '02083590000',
      statutoryLowAge: 3,
      statutoryHighAge: 11,
    });
  });

  it('when a school has opened and closed, then its DD-MM-YYYY dates become ISO dates', () => {
    const closed = parseGiasCsv(fixture('gias_2018_133.csv')).rows.find((r) => r.urn === '131004')!;
    expect(closed).to.include({ statusName: 'Closed', openDate: '1952-09-01', closeDate: '2019-08-31' });
  });

  it('when the file has the 2024 139-column layout with CRLF, then it is read the same way', () => {
    const result = parseGiasCsv(fixture('gias_2024_139.csv'));
    expect(result.errors).to.deep.equal([]);
    expect(result.rows.map((r) => r.name)).to.deep.equal([
      'St Thérèse’s RC Primary School',
      'Mill Hill County High School',
      'Holland Park Café School',
    ]);
    expect(result.rows[2]).to.include({
      laName: 'Kensington and Chelsea',
      closeDate: '2022-12-31',
      postcode: 'W8 7AF',
    });
  });

  it('when filtered by LA code, then only that authority’s schools are kept and the rest are counted as skipped', () => {
    const result = parseGiasCsv(fixture('gias_2018_133.csv'), { la: ['302'] });
    expect(result.rows.map((r) => r.urn)).to.deep.equal(['131001', '131002', '131004']);
    expect(result.skipped).to.equal(2);
    expect(result.errors).to.deep.equal([]);
  });

  it('when filtered by LA name in another case, then it matches the name exactly', () => {
    const result = parseGiasCsv(fixture('gias_2018_133.csv'), { la: ['barnet'] });
    expect(result.rows).to.have.length(3);
    expect(parseGiasCsv(fixture('gias_2018_133.csv'), { la: ['Barn'] }).rows).to.have.length(0);
  });

  it('when filtered by several authorities given by code and name, then schools in any of them are kept', () => {
    const result = parseGiasCsv(fixture('gias_2018_133.csv'), { la: ['Camden', '206'] });
    expect(result.rows.map((r) => r.laName)).to.deep.equal(['Camden', 'Islington']);
    expect(result.skipped).to.equal(3);
  });

  it('when rows are bad, then every bad row is reported with its row number, column and reason', () => {
    const result = parseGiasCsv(fixture('gias_bad_rows.csv'));
    expect(result.errors).to.deep.equal([
      { row: 3, column: 'URN', message: '"13I002" is not a URN — a URN is a whole number such as 100492' },
      {
        row: 4,
        column: 'URN',
        message: 'URN 131001 is already on row 2 — each school may appear only once in the file',
      },
      { row: 5, column: 'CloseDate', message: '"31-02-2019" is not a date like 01-09-2024 (day-month-year)' },
    ]);
  });

  it('when a bad row belongs to an authority outside the filter, then it is skipped, not reported', () => {
    const result = parseGiasCsv(fixture('gias_bad_rows.csv'), { la: ['Islington'] });
    expect(result.errors).to.deep.equal([]);
    expect(result.rows.map((r) => r.urn)).to.deep.equal(['131005']);
    expect(result.skipped).to.equal(4);
  });

  it('when a required column is missing, then the error names it and no rows are returned', () => {
    const result = parseGiasCsv(fixture('gias_no_postcode.csv'));
    expect(result.rows).to.deep.equal([]);
    expect(result.errors).to.deep.equal([
      { row: 1, column: 'Postcode', message: 'the header has no "Postcode" column' },
    ]);
  });

  it('when the download was cut short inside a row, then that row is an error and the file does not crash the reader', () => {
    const result = parseGiasCsv(fixture('gias_truncated.csv'));
    expect(result.rows.map((r) => r.urn)).to.deep.equal(['131001', '131002']);
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]).to.include({ row: 4, column: 'EstablishmentName' });
  });

  it('when the file is empty or binary, then it is refused as a whole', () => {
    expect(() => parseGiasCsv(fixture('empty.csv'))).to.throw(ImportFileError);
    expect(() => parseGiasCsv(fixture('not_a_csv.xlsx'))).to.throw(ImportFileError);
  });

  it('when the benchmark generator makes a file in either layout, then it reads without errors', () => {
    for (const layout of [133, 139] as const) {
      const result = parseGiasCsv(generateGiasCsv(200, layout));
      expect(result.errors, `layout ${layout}`).to.deep.equal([]);
      expect(result.rows).to.have.length(200);
      expect(result.rows.some((r) => r.name.includes('’'))).to.equal(true);
    }
  });
});
