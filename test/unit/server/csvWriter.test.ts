import { expect } from 'chai';
import { csvCell, toCsv } from '../../../server/services/csvWriter.js';

describe('CSV writer', () => {
  it('when a value starts with = + - or @, then a leading apostrophe stops a spreadsheet running it', () => {
    expect(csvCell('=HYPERLINK("http://x")')).to.equal(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+441234')).to.equal(`'+441234`);
    expect(csvCell('-2+3')).to.equal(`'-2+3`);
    expect(csvCell('@SUM(A1)')).to.equal(`'@SUM(A1)`);
  });

  it('when a value is ordinary, then it is left alone; commas, quotes and line breaks are quoted', () => {
    expect(csvCell('Priya Shah')).to.equal('Priya Shah');
    expect(csvCell('a@b.example')).to.equal('a@b.example');
    expect(csvCell('Shah, Priya')).to.equal('"Shah, Priya"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell(null)).to.equal('');
  });

  it('when a file is written, then it starts with a UTF-8 byte order mark and uses CRLF', () => {
    expect(toCsv(['name', 'urn'], [['Zoë', '100001']])).to.equal('\uFEFFname,urn\r\nZoë,100001\r\n');
  });
});
