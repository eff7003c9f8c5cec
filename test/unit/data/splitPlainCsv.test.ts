import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { checkCsvBytes } from '../../../data/csv/decodeCsv.js';
import { parseTable } from '../../../data/csv/parseTable.js';
import { NOT_READ, splitPlainCsv } from '../../../data/csv/splitPlainCsv.js';

const CSV_PARSE = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true } as const;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('splitPlainCsv: the fast reader for files of one record per line', () => {
  it('when every line is one record, then it gives exactly what csv-parse gives (quoted, plain, "" and empty values, LF and CRLF)', () => {
    const text =
      '"URN","Name","Note"\r\n100,"St Mary\'s, Barnet","He said ""hi"""\r\n101,,""\r\n102,Plain name,"a,b"\r\n';
    const split = splitPlainCsv(text);
    expect(split).to.deep.equal(parse(text, CSV_PARSE));
    expect(split![1]).to.deep.equal(['100', "St Mary's, Barnet", 'He said "hi"']);
    expect(splitPlainCsv('a,b\n1,2')).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('when a line is not plain (stray quote, value over two lines, blank line, lone CR, mixed endings, text after a closing quote), then it declines', () => {
    for (const text of [
      'a,b\n1,5" screen\n',
      'a,b\n1,"two\nlines"\n',
      'a,b\n\n1,2\n',
      'a,b\r1,2\r',
      'a,b\r\n1,2\n3,4\r\n',
      'a,b\n1,2\r\n',
      'a,b\n"1"x,2\n',
      'a,b\n"never closed,2\n',
      '',
    ]) {
      expect(splitPlainCsv(text), JSON.stringify(text)).to.equal(null);
    }
  });

  it('when given 8,000 random files of awkward characters, then whenever it reads one it agrees with csv-parse', () => {
    const next = random(20261124);
    const pieces = ['a', 'b', ' ', ',', '"', '""', 'é', '€', '\n', '\r\n', '\r', ''];
    let read = 0;
    for (let f = 0; f < 8000; f++) {
      const crlf = next() < 0.5;
      const lines: string[] = [];
      const lineCount = 1 + Math.floor(next() * 5);
      for (let l = 0; l < lineCount; l++) {
        const values: string[] = [];
        const valueCount = 1 + Math.floor(next() * 4);
        for (let v = 0; v < valueCount; v++) {
          let value = '';
          const len = Math.floor(next() * 5);
          for (let c = 0; c < len; c++) value += pieces[Math.floor(next() * pieces.length)];
          // Half the values are written as a spreadsheet writes them: quoted, with "" for a quote.
          values.push(next() < 0.5 ? `"${value.replace(/"/g, '""')}"` : value);
        }
        lines.push(values.join(','));
      }
      const text = lines.join(crlf ? '\r\n' : '\n') + (next() < 0.5 ? (crlf ? '\r\n' : '\n') : '');
      const split = splitPlainCsv(text);
      if (split === null) continue;
      read++;
      expect(split, JSON.stringify(text)).to.deep.equal(parse(text, CSV_PARSE));
    }
    // Most files hold something it must decline; enough are read for the comparison to mean something.
    expect(read).to.be.greaterThan(400);
  });

  it('when told which columns are read, then others come back as "" when blank and NOT_READ otherwise, and the header and values past it whole', () => {
    const text = '"URN","Name","Other"\n1,"A","x"\n2,"B",""\n3,"C", ,"extra"\n';
    const split = splitPlainCsv(text, (header) => header.map((name) => name !== 'Other'));
    expect(split).to.deep.equal([
      ['URN', 'Name', 'Other'],
      ['1', 'A', NOT_READ],
      ['2', 'B', ''],
      ['3', 'C', ' ', 'extra'],
    ]);
  });

  it('when a row is blank in the columns read but not in the others, then parseTable still keeps it as a row', () => {
    const table = parseTable(checkCsvBytes(Buffer.from('URN,Name,Other\n1,A,x\n,,something\n')), {
      columns: ['URN', 'Name'],
    });
    expect(table.records).to.have.length(2);
    expect(table.rowNumbers).to.deep.equal([2, 3]);
  });
});
