import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import {
  buildWatchlistIndex,
  matchName,
  normaliseName,
  type Watchlist,
  type WatchlistEntry,
} from '../../../checks/nameMatching.js';

const ofsi: Watchlist = {
  id: 'ofsi-2026-11-01',
  source: 'OFSI consolidated list',
  asOf: '2026-11-01',
  entries: [
    {
      id: 'org-1',
      name: 'Example Front Organisation',
      aliases: ['The Example Front Ltd'],
      type: 'organisation',
    },
    { id: 'person-1', name: 'Jon Q. Exemplar', aliases: [], type: 'person' },
    { id: 'org-2', name: 'Société Éxample', aliases: [], type: 'organisation' },
  ],
};

const proscribed: Watchlist = {
  id: 'home-office-2026-10-15',
  source: 'Home Office proscribed organisations list',
  asOf: '2026-10-15',
  entries: [{ name: 'Example Front', aliases: ['EF'], type: 'organisation' }],
};

const index = buildWatchlistIndex([ofsi, proscribed]);

describe('normaliseName', () => {
  it('when a name has case, "the", a company suffix and punctuation, then only its words remain, sorted', () => {
    expect(normaliseName('The Example Front Ltd.')).to.equal('example front');
  });

  it('when a name has accents, then they are removed', () => {
    expect(normaliseName('Société Éxample')).to.equal('example societe');
  });

  it('when a name has letters that do not decompose, then they are spelt out', () => {
    expect(normaliseName('Straße Ørsted')).to.equal('orsted strasse');
  });

  it('when a name has an apostrophe, then it is removed without a space', () => {
    expect(normaliseName("O'Neil")).to.equal('oneil');
    expect(normaliseName('O’Neil')).to.equal('oneil');
  });

  it('when a name has hyphens or other punctuation, then they separate words', () => {
    expect(normaliseName('Al-Qaida (Example)')).to.equal('al example qaida');
  });

  it('when a name uses "&", then it reads as "and"', () => {
    expect(normaliseName('Smith & Jones')).to.equal(normaliseName('Smith and Jones'));
  });

  it('when single-letter initials are present, then they are kept', () => {
    expect(normaliseName('Jon Q. Exemplar')).to.equal('exemplar jon q');
  });

  it('when a title is present, then it is dropped', () => {
    expect(normaliseName('Dr Jon Q Exemplar')).to.equal('exemplar jon q');
  });

  it('when "Trust" or "Limited" ends the name, then it is dropped, but not when it starts the name', () => {
    expect(normaliseName('Example Trust Limited')).to.equal('example');
    expect(normaliseName('Trust for London')).to.equal('for london trust');
    expect(normaliseName('Limited Edition Books Ltd')).to.equal('books edition limited');
  });

  it('when "Co", "Company" or "Group" appears, then it is kept', () => {
    expect(normaliseName('Example Group')).to.equal('example group');
    expect(normaliseName('Example Company')).to.equal('company example');
  });

  it('when nothing identifying is left, then the key is empty', () => {
    expect(normaliseName('The Ltd')).to.equal('');
    expect(normaliseName('  ...  ')).to.equal('');
  });

  it('when a name is in a non-Latin script, then its letters are kept', () => {
    expect(normaliseName('Пример Фронт')).to.equal('пример фронт');
  });

  it('when a name uses typographic apostrophes, ligatures or compatibility letters, then they fold to plain letters', () => {
    expect(normaliseName('ﬁnn’s ℌall')).to.equal('finns hall');
  });

  it('when plain-ASCII names take the fast route, then they give the same key as the Unicode route', () => {
    // A middle dot is punctuation outside ASCII: it sends a name down the Unicode route without changing its key.
    let seed = 20261124;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = [
      'the',
      'The',
      'Ltd',
      'trust',
      'Dr',
      'O',
      "'",
      '`',
      '&',
      '-',
      '.',
      ',',
      ' ',
      '  ',
      'ab',
      'Q',
      '7',
      'Zed',
    ];
    for (let n = 0; n < 2000; n += 1) {
      let name = '';
      const length = Math.floor(random() * 8);
      for (let i = 0; i < length; i += 1) name += pieces[Math.floor(random() * pieces.length)];
      expect(normaliseName(`${name} ·`), JSON.stringify(name)).to.equal(normaliseName(name));
    }
  });
});

describe('matchName', () => {
  it('when "Example Front" is looked up, then it matches the listed name and the OFSI alias', () => {
    const matches = matchName(index, 'Example Front');
    expect(matches.map((m) => [m.listId, m.matchedText, m.via])).to.have.deep.members([
      ['ofsi-2026-11-01', 'The Example Front Ltd', 'alias'],
      ['home-office-2026-10-15', 'Example Front', 'name'],
    ]);
  });

  it('when an alias matches, then the reason names the alias, the list and what was set aside', () => {
    const match = itemAt(
      matchName(index, 'Example Front').filter((m) => m.listId === 'ofsi-2026-11-01'),
      0,
    );
    expect(match.entry.id).to.equal('org-1');
    expect(match.source).to.equal('OFSI consolidated list');
    expect(match.asOf).to.equal('2026-11-01');
    expect(match.reason).to.equal(
      '"Example Front" matches "The Example Front Ltd" (alias) on the OFSI consolidated list: ' +
        'same words once case, "the" and company suffixes are set aside',
    );
  });

  it('when a name is the same as listed, then the reason says so', () => {
    const match = itemAt(
      matchName(index, 'Example Front').filter((m) => m.via === 'name'),
      0,
    );
    expect(match.reason).to.equal(
      '"Example Front" matches "Example Front" (listed name) on the Home Office proscribed organisations list: ' +
        'exactly the same name',
    );
  });

  it('when a person is written surname first, then they match and the reason gives punctuation and word order', () => {
    const matches = matchName(index, 'Exemplar, Jon Q.');
    expect(matches).to.have.length(1);
    expect(matches[0]?.entry.id).to.equal('person-1');
    expect(matches[0]?.reason).to.match(/same words once punctuation and word order are set aside$/);
  });

  it('when accents and case differ, then the name matches and the reason says so', () => {
    const matches = matchName(index, 'societe example');
    expect(matches.map((m) => m.entry.id)).to.deep.equal(['org-2']);
    expect(matches[0]?.reason).to.match(/same words once case and accents are set aside$/);
  });

  it('when only spacing differs, then the name matches', () => {
    expect(matchName(index, '  Example   Front ').map((m) => m.listId)).to.have.length(2);
  });

  it('when a word differs ("Frontline" for "Front"), then nothing matches', () => {
    expect(matchName(index, 'Example Frontline')).to.deep.equal([]);
  });

  it('when an initial is missing ("Jon Exemplar" for "Jon Q. Exemplar"), then nothing matches', () => {
    expect(matchName(index, 'Jon Exemplar')).to.deep.equal([]);
  });

  it('when a word is extra ("Example Front Youth"), then nothing matches', () => {
    expect(matchName(index, 'Example Front Youth')).to.deep.equal([]);
  });

  it('when the name is empty after normalising, then nothing matches', () => {
    expect(matchName(index, 'The Ltd')).to.deep.equal([]);
    expect(matchName(index, '')).to.deep.equal([]);
  });
});

describe('buildWatchlistIndex', () => {
  it('when a listed name and its alias normalise alike, then the entry is indexed once under that key', () => {
    const list: Watchlist = {
      id: 'l',
      source: 'test list',
      asOf: '2026-01-01',
      entries: [
        { name: 'Example Trust', aliases: ['The Example Trust', 'Example Ltd'], type: 'organisation' },
      ],
    };
    const built = buildWatchlistIndex([list]);
    expect([...built.keys()]).to.deep.equal(['example']);
    expect(built.get('example')?.map((hit) => hit.via)).to.deep.equal(['name']);
  });

  it('when an entry or alias is empty after normalising, then it is not indexed', () => {
    const list: Watchlist = {
      id: 'l',
      source: 'test list',
      asOf: '2026-01-01',
      entries: [{ name: 'The Trust', aliases: ['', 'Ltd'], type: 'organisation' }],
    };
    expect(buildWatchlistIndex([list]).size).to.equal(0);
  });

  it('when entries carry extra fields, then matches return the caller’s own entry objects', () => {
    interface Listed extends WatchlistEntry {
      listedOn: string;
    }
    const entry: Listed = {
      name: 'Example Front',
      aliases: [],
      type: 'organisation',
      listedOn: '2020-02-02',
    };
    const built = buildWatchlistIndex<Listed>([
      { id: 'l', source: 'test list', asOf: '2026-01-01', entries: [entry] },
    ]);
    expect(matchName(built, 'example front')[0]?.entry).to.equal(entry);
  });
});
