import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseGiasCsv } from '../../../data/csv/giasReader.js';
import { parseLibrariesCsv } from '../../../data/csv/libraryReader.js';
import { parseWatchlistCsv } from '../../../data/csv/watchlistReader.js';
import { needRealFixtures, realFile } from '../../support/realFixtures.js';

// The published samples live beside the project, not in it; a fresh clone has none, and then each test is
// pending with the reason in its title.
const SAMPLES = [
  'gias_edubase_sample_dfe_schools_experience.csv',
  'gias_edubase_example_2024header_dfe_schools_experience_ANONYMISED.csv',
  'ace_basic_libraries_2023_enhanced_barnet.csv',
  'ace_libraries_2023_librarydata_db_barnet.csv',
  'libraries_schema_london_borough_of_barnet.csv',
  'ofsi_conlist_subset_2020_pabora8.csv',
];

const real = (name: string) => readFileSync(realFile(name));

describe('real published samples (../shared/fixtures/real)', () => {
  beforeEach(function () {
    needRealFixtures(this, ...SAMPLES);
  });

  it('when the 2018/19 GIAS sample is read, then its 4 schools parse without errors', () => {
    const result = parseGiasCsv(real('gias_edubase_sample_dfe_schools_experience.csv'));
    expect(result.errors).to.deep.equal([]);
    expect(result.rows).to.have.length(4);
    expect(result.rows[0]).to.include({
      urn: '100492',
      laCode: '207',
      name: "St Thomas' CofE Primary School",
    });
    expect(result.rows.map((r) => r.phaseName)).to.include('Secondary');
  });

  it('when the 2024 GIAS sample is read, then its 2 schools parse, one closed with an ISO close date', () => {
    const result = parseGiasCsv(
      real('gias_edubase_example_2024header_dfe_schools_experience_ANONYMISED.csv'),
    );
    expect(result.errors).to.deep.equal([]);
    expect(result.rows).to.have.length(2);
    expect(result.rows[1]).to.include({ urn: '140134', statusName: 'Closed', closeDate: '2022-12-31' });
  });

  it('when the GIAS samples are filtered to Islington, then only its school is kept', () => {
    const result = parseGiasCsv(real('gias_edubase_sample_dfe_schools_experience.csv'), {
      la: ['Islington'],
    });
    expect(result.rows.map((r) => r.laName)).to.deep.equal(['Islington']);
    expect(result.skipped).to.equal(3);
  });

  for (const [file, layout, count] of [
    ['ace_basic_libraries_2023_enhanced_barnet.csv', 'ace-enhanced', 20],
    ['ace_libraries_2023_librarydata_db_barnet.csv', 'ace-snake-case', 20],
    ['libraries_schema_london_borough_of_barnet.csv', 'libraries-hacked', 19],
  ] as const) {
    it(`when ${file} is read, then its ${count} Barnet libraries parse, closed ones with their year`, () => {
      const result = parseLibrariesCsv(real(file), { la: ['Barnet'] });
      expect(result.layout).to.equal(layout);
      expect(result.errors).to.deep.equal([]);
      expect(result.rows).to.have.length(count);
      expect(result.skipped).to.equal(0);
      expect(result.rows.find((r) => r.name === 'Church End')).to.include({
        yearClosed: 2017,
        statutory: false,
      });
    });
  }

  it('when the OFSI sample is read, then names are grouped by Group ID with primary names first', () => {
    const result = parseWatchlistCsv(real('ofsi_conlist_subset_2020_pabora8.csv'));
    expect(result.format).to.equal('ofsi');
    expect(result.errors).to.deep.equal([]);
    expect(result.rows.length).to.be.greaterThan(0);
    expect(result.rows.every((r) => r.reference !== null && r.name !== '')).to.equal(true);
    // Group 13814 has six spellings; the "Prime Alias" row gives the name and the other five are aliases.
    const abbas = result.rows.find((r) => r.reference === '13814');
    expect(abbas).to.include({
      name: 'Yasser Aziz ABBAS',
      type: 'person',
      listedOn: '2020-02-17',
      regime: 'Syria',
    });
    expect(abbas?.aliases).to.have.length(5);
    expect(result.rows.find((r) => r.reference === '10657')).to.deep.include({
      name: '3M MIZAN MACHINERY MANUFACTURING',
      aliases: ['3MG'],
      type: 'organisation',
    });
  });
});
