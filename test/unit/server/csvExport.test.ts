import { expect } from 'chai';
import { csvCell, toCsv, UTF8_BOM } from '../../../server/services/csvExport.js';

describe('csvExport', () => {
  it('when a text cell starts with = + - @, then it gets a leading apostrophe so no spreadsheet runs it', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).to.equal(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(csvCell('+44 20 7946 0000')).to.equal("'+44 20 7946 0000");
    expect(csvCell('-2+3')).to.equal("'-2+3");
    expect(csvCell('@SUM(A1:A2)')).to.equal("'@SUM(A1:A2)");
  });

  it('when a text cell starts with a tab or carriage return, or spaces before a formula sign, then it is neutralised too', () => {
    expect(csvCell('\t=1+1')).to.equal("'\t=1+1");
    expect(csvCell('\r=1+1')).to.equal(`"'\r=1+1"`);
    expect(csvCell('  =1+1')).to.equal("'  =1+1");
  });

  it('when a cell is ordinary text, a number, a boolean or empty, then it is written as it is', () => {
    expect(csvCell('Northbrook Town Hall')).to.equal('Northbrook Town Hall');
    expect(csvCell('a = b')).to.equal('a = b');
    expect(csvCell('a@b.example')).to.equal('a@b.example');
    expect(csvCell(-5)).to.equal('-5');
    expect(csvCell(3.5)).to.equal('3.5');
    expect(csvCell(true)).to.equal('true');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(undefined)).to.equal('');
    expect(csvCell(new Date('2026-03-14T10:00:00Z'))).to.equal('2026-03-14T10:00:00.000Z');
  });

  it('when a cell holds a comma, a quote or a line break, then it is quoted with quotes doubled', () => {
    expect(csvCell('Smith, J')).to.equal('"Smith, J"');
    expect(csvCell('the "Hall"')).to.equal('"the ""Hall"""');
    expect(csvCell('line 1\nline 2')).to.equal('"line 1\nline 2"');
  });

  it('when a file is built, then it starts with a UTF-8 BOM, has the header first and CRLF line ends', () => {
    const csv = toCsv(
      ['Name', 'Count'],
      [
        ['Café Hall', 2],
        ['=cmd', -1],
      ],
    );
    expect(csv.startsWith(UTF8_BOM)).to.equal(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).to.equal("Name,Count\r\nCafé Hall,2\r\n'=cmd,-1\r\n");
  });
});
