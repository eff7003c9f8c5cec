import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { buildBoardReport } from '../../../checks/report/boardReport.js';
import { parsePeriod } from '../../../checks/report/reportPeriod.js';
import { csvCell, renderReportCsv } from '../../../server/services/report/reportCsv.js';
import { renderReportDocument } from '../../../server/services/report/reportHtml.js';
import { renderReportPdf } from '../../../server/services/report/reportPdf.js';
import { printable } from '../../../server/services/report/reportPdfFont.js';
import { pdfFonts, pdfPageCount, pdfStreams, pdfText } from '../../support/pdfText.js';
import { smallBorough } from '../../support/reportFixture.js';

const TODAY = '2026-06-15';

function report(mutate: (db: ReturnType<typeof smallBorough>) => void = () => {}) {
  const db = smallBorough();
  mutate(db);
  return buildBoardReport(db, parsePeriod('2026-Q2')!, TODAY);
}

/** The row after the one whose first cell is `first`. */
function rowAfter(rows: string[][], first: string, offset = 1): string[] {
  const i = rows.findIndex((r) => r[0] === first);
  expect(i, `a row starting "${first}"`).to.be.greaterThan(-1);
  return itemAt(rows, i + offset);
}

describe('Board report formats', () => {
  describe('CSV', () => {
    it('when rendered, then it starts with a UTF-8 byte-order mark and has CRLF line ends', () => {
      const csv = renderReportCsv(report());
      expect(csv.charCodeAt(0)).to.equal(0xfeff);
      expect(csv.endsWith('\r\n')).to.equal(true);
      expect(csv.replaceAll('\r\n', '')).to.not.match(/[\r\n]/);
    });

    it('when parsed back with csv-parse in its strict defaults, then every row has the same width and the figures are there', () => {
      const rows = parse(renderReportCsv(report()), { bom: true }) as string[][];
      const width = itemAt(rows, 0).length;
      expect(rows.every((r) => r.length === width)).to.equal(true);
      const trim = (r: string[]) => {
        const out = [...r];
        while (out.length && out[out.length - 1] === '') out.pop();
        return out;
      };
      expect(trim(itemAt(rows, 1))).to.deep.equal(['Period', '2026-Q2', '1 April 2026 to 30 June 2026']);
      expect(trim(rowAfter(rows, 'Area'))).to.deep.equal([
        'Premises',
        'Premises audited and in date',
        '3',
        '5',
        '60',
        '40',
        '20',
      ]);
      expect(trim(rowAfter(rows, 'Area', 2))).to.deep.equal([
        'Hall hire',
        'Bookings checked before the event',
        'No data',
        '',
        '',
        'No data',
      ]);
      expect(trim(rowAfter(rows, 'Department'))).to.deep.equal([
        'Community Safety',
        '4',
        '2',
        '0',
        '50',
        '75',
        'Yes',
        'Staff records',
      ]);
      expect(trim(rowAfter(rows, 'Leisure', 1)).slice(0, 5)).to.deep.equal(['Total', '74', '51', '3', '69']);
      expect(trim(rowAfter(rows, 'RAG status'))).to.deep.equal(['Red', '1']);
      expect(trim(rowAfter(rows, 'Heading'))).to.deep.equal([
        'Channel panel processes',
        'Renew the ISA',
        'Channel Panel Chair',
        '2026-06-01',
      ]);
      expect(trim(rowAfter(rows, 'Rule'))).to.deep.equal([
        'Review overdue',
        '2',
        '0',
        '0',
        '0',
        '0',
        '0',
        '2',
      ]);
      expect(trim(itemAt(rows, rows.length - 1))).to.deep.equal(['Total', '3', '0', '0', '0', '2', '3', '8']);
    });

    it('when text starts with = + - or @, then the cell gets a leading apostrophe; numbers, even negative, stay numbers', () => {
      expect(csvCell('=HYPERLINK("http://x","y")')).to.equal('"\'=HYPERLINK(""http://x"",""y"")"');
      expect(csvCell('+1')).to.equal("'+1");
      expect(csvCell('-cmd')).to.equal("'-cmd");
      expect(csvCell('@SUM(A1)')).to.equal("'@SUM(A1)");
      expect(csvCell('\tx')).to.equal("'\tx");
      expect(csvCell(-20)).to.equal('-20');
      expect(csvCell('Housing, north')).to.equal('"Housing, north"');
      expect(csvCell(null)).to.equal('');

      const rows = parse(
        renderReportCsv(
          report((db) => {
            itemAt(db.departments, 0).name = '=cmd|" /C calc"!A0';
            itemAt(db.planActivities, 1).description = '@SUM(1+1)';
          }),
        ),
        { bom: true },
      ) as string[][];
      const all = rows.flat();
      expect(all).to.include('\'=cmd|" /C calc"!A0');
      expect(all).to.include("'@SUM(1+1)");
      expect(all.filter((c) => /^[=+\-@]/.test(c))).to.deep.equal([]);
    });
  });

  describe('PDF', () => {
    it('when rendered, then it is a PDF of four real pages whose text can be extracted', async () => {
      const pdf = await renderReportPdf(report());
      expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      expect(pdf.subarray(-6).toString('latin1')).to.match(/%%EOF\s*$/);
      expect(pdfPageCount(pdf)).to.equal(4);
      // Compressed by default: the text is only readable after inflating the streams.
      expect(pdf.toString('latin1')).to.include('/FlateDecode');
      // Wrapped table cells come out as several lines: compare with spaces collapsed.
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      for (const expected of [
        'Prevent board report: April to June 2026',
        'Premises audited and in date',
        '3 of 5 (60%)',
        'Up 20 points',
        'Community Safety (below target)',
        'Renew the ISA',
        'Review overdue',
        'page 4 of 4',
      ]) {
        expect(text, expected).to.include(expected);
      }
    });

    it('when rendered without compression, then the same text is in the file as it is', async () => {
      const pdf = await renderReportPdf(report(), { compress: false });
      expect(pdf.toString('latin1')).to.not.include('/FlateDecode');
      expect(pdfStreams(pdf).some((s) => s.includes(' Tj') || s.includes(' TJ'))).to.equal(true);
      expect(pdfText(pdf)).to.include('Staff training by department');
    });

    it('when there are many departments, then the table runs onto another page with its header again', async () => {
      const pdf = await renderReportPdf(
        report((db) => {
          for (let i = 0; i < 60; i++) {
            db.departments.push({
              ...itemAt(db.departments, 0),
              id: `extra${i}`,
              name: `Extra department ${i}`,
            });
          }
        }),
      );
      expect(pdfPageCount(pdf)).to.be.greaterThan(4);
      expect(pdfText(pdf).match(/Counted from/g)?.length).to.be.greaterThan(1);
    });

    it('when rendered, then its fonts are DejaVu Sans, embedded (subset), and no standard font is used', async () => {
      const fonts = pdfFonts(await renderReportPdf(report()));
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).to.deep.equal([
        'DejaVuSans',
        'DejaVuSans-Bold',
      ]);
      expect(fonts.every((f) => f.embedded)).to.equal(true);
    });

    it('when names are in other scripts, then the PDF shows them as written and they can be extracted', async () => {
      const pdf = await renderReportPdf(
        report((db) => {
          itemAt(db.departments, 0).name = 'Łódź – Ωmega “Кирилл”';
        }),
      );
      expect(pdfText(pdf)).to.include('Łódź – Ωmega “Кирилл”');
    });

    it('when a character is in neither font, then it loses its accent if that is all it lacks, or becomes "?"', () => {
      expect(printable('Łódź café – “quoted” €5')).to.equal('Łódź café – “quoted” €5');
      expect(printable('漢 a')).to.equal('? a');
    });
  });

  describe('HTML', () => {
    it('when rendered stand-alone, then it has its own styles, inline SVG charts named for screen readers, and no script or links', async () => {
      const html = await renderReportDocument(report());
      expect(html).to.match(/^<!DOCTYPE html>/);
      expect(html).to.include('<style>');
      expect(html).to.include('@media print');
      expect(html).to.not.match(/<script/i);
      expect(html).to.not.match(/<a\s/);
      expect(html.match(/<svg [^>]*role="img"/g)?.length).to.equal(3);
      expect(html).to.include('aria-labelledby="chart-compliance-title chart-compliance-desc"');
      expect(html).to.include('Premises audited and in date: 60% this quarter, 40% the previous quarter');
      expect(html).to.include('3 of 5 (60%)');
      expect(html).to.include('Up 20 points');
      expect(html).to.include('<h1>Prevent board report: April to June 2026</h1>');
    });

    it('when names hold markup, then it is escaped in tables and charts', async () => {
      const html = await renderReportDocument(
        report((db) => {
          itemAt(db.departments, 0).name = '<img src=x onerror=alert(1)>';
        }),
      );
      expect(html).to.not.include('<img src=x');
      expect(html).to.include('&lt;img src=x onerror=alert(1)&gt;');
    });
  });
});
