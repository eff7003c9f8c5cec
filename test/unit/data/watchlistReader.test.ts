import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ImportFileError } from '../../../data/csv/decodeCsv.js';
import { parseWatchlistCsv } from '../../../data/csv/watchlistReader.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('parseWatchlistCsv', () => {
  describe('the simple layout', () => {
    it('when aliases are separated by semicolons, then they are trimmed, blanks dropped and each kept once', () => {
      const result = parseWatchlistCsv(fixture('watchlist_simple.csv'), { source: 'Coordinator’s copy' });
      expect(result.format).to.equal('simple');
      expect(result.asOf).to.equal(null);
      expect(result.errors).to.deep.equal([]);
      expect(result.rows[0]).to.deep.equal({
        name: 'Example Proscribed Group',
        aliases: ['EPG', 'The Example Group'],
        type: 'organisation',
        source: 'Home Office proscribed organisations',
        listedOn: '2026-01-15',
        reference: null,
        regime: null,
      });
      expect(result.rows[1]).to.include({ name: 'Jon Q Exemplar', type: 'person', listedOn: null });
    });

    it('when a row has no source, then the source given for the file is used', () => {
      const result = parseWatchlistCsv(fixture('watchlist_simple.csv'), { source: 'Coordinator’s copy' });
      expect(result.rows[2]).to.include({
        name: 'Another Example Movement',
        type: 'organisation',
        source: 'Coordinator’s copy',
      });
    });

    it('when a row has no source and none is given for the file, then the row is refused', () => {
      const result = parseWatchlistCsv(fixture('watchlist_simple.csv'));
      expect(result.errors).to.have.length(1);
      expect(result.errors[0]).to.include({ row: 4, column: 'source' });
    });

    it('when rows are bad, then every one is reported in plain words', () => {
      const result = parseWatchlistCsv(fixture('watchlist_simple_bad.csv'));
      expect(result.errors).to.deep.equal([
        { row: 3, column: 'name', message: 'the name is blank' },
        { row: 4, column: 'type', message: '"group" is not a type — use organisation or person' },
        { row: 5, column: 'listed_on', message: '"14/03/2026" is not a date like 2026-03-14' },
        {
          row: 6,
          column: 'name',
          message:
            'example proscribed group (organisation) is already on row 2 — list each name once and put other spellings in aliases',
        },
        { row: 7, column: 'listed_on', message: '"2026-02-30" is not a date like 2026-03-14' },
      ]);
    });

    it('when the type column is missing, then the error names it', () => {
      const result = parseWatchlistCsv(Buffer.from('name,aliases,source\nExample Group,,Home Office\n'));
      expect(result.rows).to.deep.equal([]);
      expect(result.errors).to.deep.equal([
        { row: 1, column: 'type', message: 'the header has no "type" column' },
      ]);
    });
  });

  describe('the OFSI consolidated list', () => {
    it('when the file starts with a Last Updated line, then that date is the list’s as-of date', () => {
      const result = parseWatchlistCsv(fixture('ofsi_current_last_updated.csv'));
      expect(result.format).to.equal('ofsi');
      expect(result.asOf).to.equal('2026-02-01');
      expect(result.errors).to.deep.equal([]);
    });

    it('when rows share a Group ID, then the primary name is the entry and the rest are its aliases', () => {
      const [jon] = parseWatchlistCsv(fixture('ofsi_current_last_updated.csv')).rows;
      expect(jon).to.deep.equal({
        name: 'Jon Q EXEMPLAR',
        aliases: ['Jonathan EXEMPLAR', 'Jean-Rémy EXEMPLAR'],
        type: 'person',
        source: 'OFSI consolidated list',
        listedOn: '2013-05-09',
        reference: '90001',
        regime: 'Counter-Terrorism (International)',
      });
    });

    it('when the primary name comes after an alias, then it is still the entry’s name', () => {
      const entry = parseWatchlistCsv(fixture('ofsi_current_last_updated.csv')).rows.find(
        (r) => r.reference === '90004',
      );
      expect(entry).to.include({ name: 'Ahmed EXAMPLE', type: 'person' });
      expect(entry?.aliases).to.deep.equal(['ABU EXAMPLE']);
    });

    it('when a group is an entity or a ship, then it is an organisation, with Windows-1252 quotes read right', () => {
      const rows = parseWatchlistCsv(fixture('ofsi_current_last_updated.csv'), {
        source: 'OFSI, February 2026',
      }).rows;
      expect(rows.map((r) => [r.reference, r.type])).to.deep.equal([
        ['90001', 'person'],
        ['90002', 'organisation'],
        ['90004', 'person'],
        ['90003', 'organisation'],
      ]);
      expect(rows[1]).to.include({ name: 'NORTHERN STAR TRADING CO.', source: 'OFSI, February 2026' });
      expect(rows[1]?.aliases).to.deep.equal(['‘NORTHERN STAR’']);
    });

    it('when the old layout has no Last Updated line and an extra leading comma, then it is still read', () => {
      const result = parseWatchlistCsv(fixture('ofsi_2020_leading_comma.csv'));
      expect(result.format).to.equal('ofsi');
      expect(result.asOf).to.equal(null);
      expect(result.errors).to.deep.equal([]);
      expect(result.rows.map((r) => [r.name, r.aliases, r.type, r.reference])).to.deep.equal([
        ['Jon Q EXEMPLAR', [], 'person', '12872'],
        ['EXEMPLAR ORGANISATION', ['L’ORGANISATION EXEMPLAIRE'], 'organisation', '13141'],
      ]);
    });

    it('when OFSI rows are bad, then each is reported against its physical line', () => {
      const csv = [
        'Last Updated,01/02/2026',
        'Name 6,Name 1,Group Type,Alias Type,Listed On,Group ID',
        'EXEMPLAR,Jon,Individual,Primary name,09/05/2013,1',
        ',,Individual,AKA,09/05/2013,1',
        'SEA EXEMPLAR,,Vessel,Primary name,09/05/2013,2',
        'EXEMPLAR ORGANISATION,,Entity,Primary name,2013-05-09,3',
      ].join('\n');
      expect(parseWatchlistCsv(Buffer.from(csv)).errors).to.deep.equal([
        { row: 4, column: 'Name 6', message: 'this row has no name: Name 1 to Name 6 are all blank' },
        {
          row: 5,
          column: 'Group Type',
          message: '"Vessel" is not a group type — expected Individual, Entity or Ship',
        },
        { row: 6, column: 'Listed On', message: '"2013-05-09" is not a date like 14/03/2026' },
      ]);
    });

    it('when the Last Updated date is not a date, then row 1 is reported', () => {
      const csv = 'Last Updated,February\nName 6,Group Type\nEXEMPLAR,Individual\n';
      expect(parseWatchlistCsv(Buffer.from(csv)).errors).to.deep.equal([
        { row: 1, column: 'Last Updated', message: '"February" is not a date like 14/03/2026' },
      ]);
    });
  });

  it('when the header is neither layout, then the file is refused', () => {
    expect(() => parseWatchlistCsv(Buffer.from('ref,title\nP1,Town Hall\n'))).to.throw(
      ImportFileError,
      'not a watch list',
    );
  });
});
