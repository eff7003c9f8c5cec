import { expect } from 'chai';
import {
  EvidenceContentCheck,
  evidenceKindOf,
  evidenceType,
  extensionOf,
  safeEvidenceFilename,
} from '../../../checks/evidenceTypes.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('Evidence types (decided by content, the name must agree)', () => {
  it('when a file starts with the PDF, PNG or JPEG magic bytes, then that is its kind', () => {
    expect(evidenceKindOf(text('%PDF-1.7\n…'))).to.equal('pdf');
    expect(evidenceKindOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).to.equal('png');
    expect(evidenceKindOf(bytes(0xff, 0xd8, 0xff, 0xdb))).to.equal('jpeg');
  });

  it('when the magic bytes are nearly right (a PNG signature cut short, "%PDF" without its dash), then it is not that kind', () => {
    expect(evidenceKindOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).to.equal(null);
    expect(evidenceKindOf(text('%PDF1.7'))).to.equal('text');
    expect(evidenceKindOf(bytes(0xff, 0xd8))).to.equal(null);
  });

  it('when a file is UTF-8 text with tabs and line breaks only, then it is text; with NUL, other control characters or bad UTF-8, it is nothing', () => {
    expect(evidenceKindOf(text('a,b\r\n1,"café"\t\f\n'))).to.equal('text');
    expect(evidenceKindOf(text('\uFEFFBOM then text'))).to.equal('text');
    expect(evidenceKindOf(text('a\u0000b'))).to.equal(null);
    expect(evidenceKindOf(text('ring \u0007'))).to.equal(null);
    expect(evidenceKindOf(text('C1 \u0085 control'))).to.equal(null);
    expect(evidenceKindOf(bytes(0x61, 0xc3))).to.equal(null);
    expect(evidenceKindOf(bytes(0xfe, 0xff, 0, 0x61))).to.equal(null);
    expect(evidenceKindOf(bytes())).to.equal(null);
  });

  it('when a multi-byte character is split across chunks, then the streaming check still reads it as text', () => {
    const whole = text('naïve café résumé');
    const check = new EvidenceContentCheck();
    for (const b of whole) check.push(Uint8Array.of(b));
    expect(check.finish()).to.equal('text');
  });

  it('when the name’s extension agrees with the content, then the stored media type follows the extension', () => {
    expect(evidenceType('Visit.PDF', 'pdf')).to.deep.equal({ mediaType: 'application/pdf' });
    expect(evidenceType('a.jpeg', 'jpeg')).to.deep.equal({ mediaType: 'image/jpeg' });
    expect(evidenceType('a.jpg', 'jpeg')).to.deep.equal({ mediaType: 'image/jpeg' });
    expect(evidenceType('log.txt', 'text')).to.deep.equal({ mediaType: 'text/plain' });
    expect(evidenceType('results.csv', 'text')).to.deep.equal({ mediaType: 'text/csv' });
  });

  it('when the name and the content disagree, then the problem says which and what to do', () => {
    expect(evidenceType('photo.pdf', 'png')).to.deep.equal({
      problem:
        'The selected file is a PNG file but its name ends in .pdf. Rename it to end in .png, then upload it again',
    });
    expect(evidenceType('fake.pdf', null))
      .to.have.property('problem')
      .that.includes('is not a real PDF file');
    expect(evidenceType('page.pdf', 'text'))
      .to.have.property('problem')
      .that.includes('is not a real PDF file');
    expect(evidenceType('page.html', 'text')).to.deep.equal({
      problem: 'The selected file must be a PDF, PNG, JPEG, TXT or CSV',
    });
    expect(evidenceType('script.exe', null)).to.deep.equal({
      problem: 'The selected file must be a PDF, PNG, JPEG, TXT or CSV',
    });
    expect(evidenceType('report', 'pdf')).to.have.property('problem').that.includes('must end in .pdf');
  });

  it('when a name carries folders, control, bidirectional or reserved characters, then only a plain name is kept', () => {
    expect(safeEvidenceFilename('C:\\fakepath\\report.pdf')).to.equal('report.pdf');
    expect(safeEvidenceFilename('../../etc/passwd.txt')).to.equal('passwd.txt');
    expect(safeEvidenceFilename('evil\u202Efdp.exe.pdf')).to.equal('evilfdp.exe.pdf');
    expect(safeEvidenceFilename('a<b>:"c"|?*\u0000.pdf')).to.equal('abc.pdf');
    expect(safeEvidenceFilename('  ..hidden   name .pdf  ')).to.equal('hidden name .pdf');
    expect(safeEvidenceFilename('...')).to.equal('evidence');
    const long = safeEvidenceFilename(`${'x'.repeat(300)}.jpeg`);
    expect(long).to.have.length(120);
    expect(extensionOf(long)).to.equal('.jpeg');
  });
});
