import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parsePremisesCsv, parseYesNo } from '../../../data/csv/premisesReader.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('parsePremisesCsv', () => {
  it('when the rows are good, then each building is read, blanks become null and extra columns are ignored', () => {
    const result = parsePremisesCsv(fixture('premises.csv'));
    expect(result.errors).to.deep.equal([]);
    expect(result.rows).to.have.length(4);
    expect(result.rows[0]).to.deep.equal({
      ref: 'P-001',
      name: 'Hendon Town Hall',
      uprn: '200222812',
      address: 'The Burroughs',
      postcode: 'NW4 4BG',
      ward: 'Hendon',
      operator: 'council',
      buildingType: 'civic',
      hireableSpace: true,
      publicIt: false,
      risk: 'medium',
      siteManagerEmail: 'site.manager@barnet.example.gov.uk',
    });
    expect(result.rows[3]).to.deep.equal({
      ref: 'P-004',
      name: 'St Mary’s Depot',
      uprn: null,
      address: null,
      postcode: null,
      ward: null,
      operator: null,
      buildingType: null,
      hireableSpace: null,
      publicIt: null,
      risk: null,
      siteManagerEmail: null,
    });
  });

  it('when yes/no and risk are written in other ways, then they are understood', () => {
    const [, burntOak, copthall] = parsePremisesCsv(fixture('premises.csv')).rows;
    expect(burntOak).to.include({
      address: 'Watling Avenue, Edgware',
      hireableSpace: true,
      publicIt: false,
      risk: 'high',
    });
    expect(copthall).to.include({ hireableSpace: true, publicIt: false, risk: 'low' });
  });

  it('when rows are bad, then every problem is reported with its row and column', () => {
    const result = parsePremisesCsv(fixture('premises_bad.csv'));
    expect(result.errors).to.deep.equal([
      { row: 3, column: 'ref', message: 'the premises reference is blank' },
      { row: 4, column: 'ref', message: 'p-001 is already on row 2 — each premises may appear only once' },
      { row: 5, column: 'name', message: 'the premises name is blank' },
      { row: 5, column: 'hireable_space', message: '"maybe" should be yes or no' },
      {
        row: 5,
        column: 'risk',
        message:
          '"severe" is not a risk rating — use low, medium or high, or leave it blank if not yet rated',
      },
      { row: 5, column: 'site_manager_email', message: '"site manager" is not an email address' },
      {
        row: 6,
        column: 'uprn',
        message: '"1.00022E+11" is not a UPRN — a UPRN is a number of up to 12 digits',
      },
    ]);
    expect(result.rows.map((r) => r.ref)).to.deep.equal(['P-001']);
  });

  it('when a column is missing, then the error names it', () => {
    const csv = Buffer.from(
      'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk\n',
    );
    expect(parsePremisesCsv(csv).errors).to.deep.equal([
      { row: 1, column: 'site_manager_email', message: 'the header has no "site_manager_email" column' },
    ]);
  });

  it('when a yes/no answer is checked, then y/n and true/false count and anything else is undefined', () => {
    expect(['YES', 'y', 'True', 'no', 'N', 'FALSE'].map(parseYesNo)).to.deep.equal([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(parseYesNo(null)).to.equal(null);
    expect(parseYesNo('sometimes')).to.equal(undefined);
  });
});
