import { expect } from 'chai';
import { type ListSpec, listPage, sortRows } from '../../../server/lists/list.js';
import { createListCache } from '../../../server/lists/listCache.js';
import { readListQuery } from '../../../server/lists/listQuery.js';

interface Row {
  name: string;
  n: number | null;
}

const SPEC: ListSpec<Row> = {
  path: '/things',
  noun: { one: 'thing', many: 'things' },
  csvFile: 'things.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Name', sort: (r) => r.name, csv: (r) => r.name },
    { key: 'n', label: 'Number', numeric: true, sort: (r) => r.n, csv: (r) => r.n },
    { key: 'note', label: 'Note', csv: () => '' },
  ],
};
const keys = ['name', 'n'];
const q = (query: Record<string, string>) => readListQuery(query, keys, SPEC.defaultSort);

describe('The list component (server/lists)', () => {
  const rows: Row[] = [
    { name: 'beta', n: 2 },
    { name: 'Alpha', n: null },
    { name: 'gamma', n: 2 },
    { name: 'delta', n: 1 },
  ];

  it('when sorted by text, then case is ignored; by number, empty values go last both ways and ties keep their order', () => {
    expect(sortRows(rows, SPEC.columns, q({})).map((r) => r.name)).to.deep.equal([
      'Alpha',
      'beta',
      'delta',
      'gamma',
    ]);
    expect(sortRows(rows, SPEC.columns, q({ sort: 'n' })).map((r) => r.name)).to.deep.equal([
      'delta',
      'beta',
      'gamma',
      'Alpha',
    ]);
    expect(sortRows(rows, SPEC.columns, q({ sort: 'n', dir: 'desc' })).map((r) => r.name)).to.deep.equal([
      'beta',
      'gamma',
      'delta',
      'Alpha',
    ]);
  });

  it('when the query asks for an unknown column, direction or page, then the defaults are used and each is named', () => {
    const bad = q({ sort: 'note', dir: 'up', page: '2x' });
    expect([bad.sort, bad.dir, bad.page]).to.deep.equal(['name', 'asc', 1]);
    expect(bad.notices).to.have.length(3);
    expect(q({ page: '1234567' }).page).to.equal(1);
    expect(q({ page: '7' }).page).to.equal(7);
    expect(q({ format: 'csv' }).csv).to.equal(true);
  });

  it('when there are many pages, then the count, the page links with ellipses and the sort links keep the filters', () => {
    const many = Array.from({ length: 1_000 }, (_, i) => ({ name: `t${String(i).padStart(4, '0')}`, n: i }));
    const page = listPage(SPEC, many, q({ sort: 'n', dir: 'desc', page: '10' }), { q: 'x y' });
    expect(page.countText).to.equal('Showing 451 to 500 of 1,000 things');
    expect(page.rows).to.have.length(50);
    expect(page.pagination.items.map((i) => (i.ellipsis ? '…' : String(i.number)))).to.deep.equal([
      '1',
      '…',
      '9',
      '10',
      '11',
      '…',
      '20',
    ]);
    expect(page.pagination.previous?.href).to.equal('/things?q=x+y&sort=n&dir=desc&page=9');
    expect(page.head.map((h) => [h.text, h.ariaSort, h.href])).to.deep.equal([
      ['Name', 'none', '/things?q=x+y&sort=name&dir=asc'],
      ['Number', 'descending', '/things?q=x+y&sort=n&dir=asc'],
      ['Note', null, null],
    ]);
    expect(page.csvHref).to.equal('/things?q=x+y&sort=n&dir=desc&format=csv');
    expect(listPage(SPEC, many, q({ page: '999' })).page).to.equal(20);
    expect(listPage(SPEC, [], q({})).countText).to.equal('No things');
    expect(listPage(SPEC, many.slice(0, 1), q({})).countText).to.equal('1 thing');
  });

  it('when the data revision changes, then the cached rows are made again; at most the set number are kept', () => {
    let revision = 1;
    let made = 0;
    const cached = createListCache(() => revision, 2);
    const make = () => {
      made++;
      return [made];
    };
    cached('a', make);
    cached('a', make);
    expect(made).to.equal(1);
    revision = 2;
    cached('a', make);
    expect(made).to.equal(2);
    cached('b', make);
    cached('c', make);
    cached('a', make);
    expect(made).to.equal(5);
  });
});
