import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { decodeCsv, ImportFileError } from '../../../data/csv/decodeCsv.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));

describe('decodeCsv', () => {
  it('when the bytes are UTF-8 with a byte order mark, then the mark is removed', () => {
    const text = decodeCsv(Buffer.from('\uFEFFname,type\r\nCafé Ltd,organisation\r\n', 'utf8'));
    expect(text).to.equal('name,type\r\nCafé Ltd,organisation\r\n');
  });

  it('when the bytes are UTF-8 without a byte order mark, then they are read as UTF-8', () => {
    expect(decodeCsv(Buffer.from('name\nSt Mary’s École\n', 'utf8'))).to.equal('name\nSt Mary’s École\n');
  });

  it('when the bytes are Windows-1252, then curly quotes, dashes and accents come out right', () => {
    // 0x91–0x94 are ‘ ’ “ ”, 0x96 is –, 0x80 is €, 0xE9 is é.
    const bytes = Buffer.from([
      0x91, 0x41, 0x92, 0x20, 0x93, 0x42, 0x94, 0x20, 0x96, 0x20, 0x80, 0x20, 0x43, 0x61, 0x66, 0xe9,
    ]);
    expect(decodeCsv(bytes)).to.equal('‘A’ “B” – € Café');
  });

  it('when a GIAS fixture is Windows-1252, then the school names read naturally', () => {
    const text = decodeCsv(fixture('gias_2018_133.csv'));
    expect(text).to.contain('St Mary’s CofE Primary School');
    expect(text).to.contain('École Française de Barnet');
  });

  it('when the file is empty, then it is refused as empty', () => {
    expect(() => decodeCsv(fixture('empty.csv'))).to.throw(ImportFileError, 'The file is empty');
  });

  it('when the file holds only a byte order mark, then it is refused as empty', () => {
    expect(() => decodeCsv(Buffer.from([0xef, 0xbb, 0xbf]))).to.throw(ImportFileError, 'The file is empty');
  });

  it('when the file is an Excel workbook, then it is refused as not a CSV text file', () => {
    expect(() => decodeCsv(fixture('not_a_csv.xlsx'))).to.throw(ImportFileError, 'not a CSV text file');
  });

  it('when the file has only blank lines, then it is refused for having no header', () => {
    expect(() => decodeCsv(Buffer.from('\r\n\r\n  \r\n'))).to.throw(ImportFileError, 'no header');
  });
});
