import { expect } from 'chai';
import iconv from 'iconv-lite';
import { checkCsvBytes, decodeCsv, ImportFileError } from '../../../data/csv/decodeCsv.js';
import { findColumns, parseTable } from '../../../data/csv/parseTable.js';

describe('parseTable', () => {
  it('when the header has spaces around names, then they are trimmed', () => {
    const table = parseTable(' ref , name \nP1,Town Hall\n');
    expect(table.header).to.deep.equal(['ref', 'name']);
    expect(table.records).to.deep.equal([['P1', 'Town Hall']]);
    expect(table.firstDataRow).to.equal(2);
  });

  it('when there are blank lines and rows of only commas, then they are skipped but still counted in row numbers', () => {
    const table = parseTable('ref,name\r\nP1,Town Hall\r\n\r\n,\r\nP2,Library\r\n');
    expect(table.records).to.deep.equal([
      ['P1', 'Town Hall'],
      ['P2', 'Library'],
    ]);
    expect(table.rowNumbers).to.deep.equal([2, 5]);
    expect(table.errors).to.deep.equal([]);
  });

  it('when a quoted value spans lines in a CRLF file, then later rows keep their real line numbers', () => {
    const table = parseTable('ref,notes\r\nP1,"line one\r\nline two"\r\nP2,ok\r\n');
    expect(table.rowNumbers).to.deep.equal([2, 4]);
  });

  it('when a row has fewer values than the header, then it is a row error naming the first missing column', () => {
    const table = parseTable('ref,name,ward\nP1,Town Hall,Central\nP2,Library\n');
    expect(table.records).to.have.length(1);
    expect(table.errors).to.have.length(1);
    expect(table.errors[0]).to.include({ row: 3, column: 'ward' });
    expect(table.errors[0]?.message).to.match(/cut short/);
  });

  it('when a row has an extra non-empty value, then it is a row error', () => {
    const table = parseTable('ref,name\nP1,Town Hall,Extra\n');
    expect(table.errors[0]).to.include({ row: 2 });
    expect(table.errors[0]?.message).to.match(/missing its quotes/);
  });

  it('when a row ends with a stray trailing comma, then the empty extra value is ignored', () => {
    const table = parseTable('ref,name\nP1,Town Hall,\n');
    expect(table.errors).to.deep.equal([]);
    expect(table.records).to.deep.equal([['P1', 'Town Hall']]);
  });

  it('when the file ends inside a quoted value, then earlier rows survive and the cut row is a row error', () => {
    const table = parseTable('ref,name,ward\nP1,Town Hall,Central\n\nP2,"Lib');
    expect(table.records).to.deep.equal([['P1', 'Town Hall', 'Central']]);
    expect(table.errors).to.deep.equal([
      {
        row: 4,
        column: 'name',
        message:
          'a quoted value starts here but is never closed (no matching ") — the file may have been cut short',
      },
    ]);
  });

  it('when the header itself has an unclosed quote, then the file is refused', () => {
    expect(() => parseTable('ref,"name\nP1,Town Hall\n')).to.throw(ImportFileError, 'header');
  });

  it('when the header has one extra leading comma and rows are one shorter, then the empty header field is dropped', () => {
    const table = parseTable(',Name 6,Name 1\nEXEMPLAR,Jon\n');
    expect(table.header).to.deep.equal(['Name 6', 'Name 1']);
    expect(table.errors).to.deep.equal([]);
  });

  it('when the header starts on a later line, then row numbers still count every physical line', () => {
    const table = parseTable('Last Updated,01/02/2026\nName 6,Group ID\nEXEMPLAR,1\n', { fromLine: 2 });
    expect(table.headerRow).to.equal(2);
    expect(table.rowNumbers).to.deep.equal([3]);
  });

  it('when columns are looked up, then case does not matter and a missing required column is named', () => {
    const table = parseTable('REF,Name\nP1,Town Hall\n');
    const { index, errors } = findColumns(table, ['ref', 'name', 'ward'], ['risk']);
    expect(index).to.deep.equal({ ref: 0, name: 1, ward: -1, risk: -1 });
    expect(errors).to.deep.equal([{ row: 1, column: 'ward', message: 'the header has no "ward" column' }]);
  });

  describe('from bytes (a large file is parsed without decoding it first)', () => {
    const files: [string, Buffer][] = [
      ['UTF-8 with CRLF', Buffer.from('urn,name\r\n1,St Mary’s\r\n2,École\r\n')],
      ['UTF-8 with a byte order mark and LF', Buffer.from('\ufeffurn,name\n1,Café\n2,x')],
      [
        'Windows-1252 with its characters in 0x80–0x9F',
        iconv.encode('urn,name\r\n1,"St Mary’s – “Upper”"\r\n2,€5 Café\r\n', 'win1252'),
      ],
      ['blank lines', Buffer.from('urn,name\r\n1,a\r\n\r\n2,b\r\n')],
      ['a value spanning lines', Buffer.from('urn,notes\r\n1,"one\r\ntwo"\r\n2,ok\r\n')],
      ['a row too short and one too long', Buffer.from('urn,name,ward\n1,a\n2,b,c,d\n3,c,e\n')],
      ['an unclosed quote', Buffer.from('urn,name\n1,"open\n2,b\n')],
      ['old Mac line ends', Buffer.from('urn,name\r1,a\r2,b\r')],
      ['no line end after the last row', Buffer.from('urn,name\n1,a\n2,b')],
    ];
    for (const [what, bytes] of files) {
      it(`when the file has ${what}, then the table is the one its decoded text gives`, () => {
        expect(parseTable(checkCsvBytes(bytes))).to.deep.equal(parseTable(decodeCsv(bytes)));
      });
    }

    it('when the file is empty, binary or blank, then the bytes are refused as the text is', () => {
      for (const bytes of [
        Buffer.alloc(0),
        Buffer.from([0x50, 0x4b, 0x00, 0x03]),
        Buffer.from(' \r\n\t\n'),
      ]) {
        const fromText = (() => {
          try {
            decodeCsv(bytes);
          } catch (err) {
            return (err as Error).message;
          }
        })();
        expect(() => checkCsvBytes(bytes)).to.throw(ImportFileError, fromText);
      }
    });
  });
});
