import { itemAt } from '../../../data/itemAt.js';
import PDFDocument from 'pdfkit';
import type { BoardReport } from '../../../checks/report/boardReport.js';
import { periodDates } from '../../../checks/report/reportPeriod.js';
import { formatDate } from '../../../checks/londonDates.js';
import { reportView } from './reportHtml.js';
import { BOLD, BOLD_FILE, FONT, FONT_FILE, printable } from './reportPdfFont.js';
import { colours } from './reportText.js';

const { blue: BLUE, grey: GREY, green: GREEN, red: RED, amber: AMBER, text: TEXT } = colours;
const SECONDARY = colours.secondary;

const MARGIN = 50;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

/** Renders the board report as a PDF of real pages: a section per page, tables carried over with their headers. */
export function renderReportPdf(r: BoardReport, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const view = reportView(r, { links: false });
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: opts.compress ?? true,
    info: {
      Title: `Prevent board report, ${r.period.label}`,
      Author: 'Due Regard',
      Subject: `Prevent duty board report for ${r.period.id}`,
    },
    lang: 'en-GB',
    displayTitle: true,
  });
  doc.registerFont(FONT, FONT_FILE);
  doc.registerFont(BOLD, BOLD_FILE);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const contentWidth = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;
  const write = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(printable(text), options);
  const heading = (text: string, size = 16) => {
    doc.font(BOLD).fontSize(size).fillColor(TEXT);
    write(text);
    doc.moveDown(0.4);
    doc.font(FONT).fontSize(10);
  };
  const para = (text: string) => {
    doc.font(FONT).fontSize(10).fillColor(TEXT);
    write(text, { width: contentWidth });
    doc.moveDown(0.6);
  };
  const ensureSpace = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  function table(columns: Column[], rows: string[][], boldLast = false) {
    const pad = 4;
    const rowHeight = (cells: string[], font: string) => {
      doc.font(font).fontSize(9);
      return (
        Math.max(
          ...cells.map((c, i) =>
            doc.heightOfString(printable(c), { width: itemAt(columns, i).width - 2 * pad }),
          ),
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: string[], font: string, h: number) => {
      const y = doc.y;
      let x = MARGIN;
      doc.font(font).fontSize(9).fillColor(TEXT);
      cells.forEach((c, i) => {
        const column = itemAt(columns, i);
        doc.text(printable(c), x + pad, y + pad, {
          width: column.width - 2 * pad,
          align: column.align ?? 'left',
        });
        x += column.width;
      });
      doc
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + contentWidth, y + h)
        .lineWidth(0.5)
        .strokeColor(GREY)
        .stroke();
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const header = columns.map((c) => c.header);
    const headerH = rowHeight(header, BOLD);
    ensureSpace(headerH + 20);
    drawRow(header, BOLD, headerH);
    rows.forEach((cells, i) => {
      const font = boldLast && i === rows.length - 1 ? BOLD : FONT;
      const h = rowHeight(cells, font);
      if (doc.y + h > bottom()) {
        doc.addPage();
        drawRow(header, BOLD, headerH);
      }
      drawRow(cells, font, h);
    });
    doc.moveDown(1);
  }

  /** Horizontal bars 0–100% with the figure as text beside each, so colour is never the only cue. */
  /** Cuts text to fit a width on one line, with an ellipsis. */
  function fitLine(text: string, width: number): string {
    let t = printable(text);
    if (doc.widthOfString(t) <= width) return t;
    while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
    return `${t.trimEnd()}…`;
  }

  function bars(
    items: { label: string; value: number | null; colour: string; target?: number }[],
    space = 1,
  ) {
    const labelW = 190;
    const barMax = 220;
    const rowH = 18;
    ensureSpace(items.length * rowH + 10);
    for (const item of items) {
      const y = doc.y;
      doc.font(FONT).fontSize(9).fillColor(TEXT);
      doc.text(fitLine(item.label, labelW - 8), MARGIN, y + 3, { lineBreak: false });
      if (item.value === null) {
        doc.text('No data', MARGIN + labelW, y + 3, { lineBreak: false });
      } else {
        const w = (item.value / 100) * barMax;
        doc
          .rect(MARGIN + labelW, y + 2, barMax, rowH - 6)
          .fillColor('#f3f2f1')
          .fill();
        if (w > 0)
          doc
            .rect(MARGIN + labelW, y + 2, w, rowH - 6)
            .fillColor(item.colour)
            .fill();
        if (item.target !== undefined) {
          const tx = MARGIN + labelW + (item.target / 100) * barMax;
          doc
            .moveTo(tx, y)
            .lineTo(tx, y + rowH - 2)
            .lineWidth(1.5)
            .strokeColor(TEXT)
            .stroke();
        }
        doc.fillColor(TEXT);
        const label =
          item.target !== undefined ? `${item.value}% (target ${item.target}%)` : `${item.value}%`;
        doc.text(label, MARGIN + labelW + barMax + 8, y + 3, { lineBreak: false });
      }
      doc.x = MARGIN;
      doc.y = y + rowH;
    }
    doc.moveDown(space);
  }

  // Title and compliance.
  doc.font(FONT).fontSize(11).fillColor(SECONDARY);
  write('Due Regard: Prevent duty');
  doc.font(BOLD).fontSize(18).fillColor(TEXT);
  write(`Prevent board report: ${r.period.label}`);
  doc.moveDown(0.5);
  para(
    `Quarter ${r.period.id}, ${periodDates(r.period)}. Figures as of ${formatDate(r.asOf)}; generated on ${formatDate(r.generatedOn)}. The report holds counts only: no personal data of hirers, speakers or staff.`,
  );
  heading('Compliance by area');
  para(`This quarter as of ${view.asOfText}, compared with ${view.previousText}.`);
  for (const c of r.compliance) {
    ensureSpace(60);
    doc.font(BOLD).fontSize(9).fillColor(TEXT);
    write(`${c.area}: ${c.label}`, { width: contentWidth });
    bars(
      [
        { label: `This quarter (${r.period.id})`, value: c.current?.percent ?? null, colour: BLUE },
        {
          label: `Previous quarter (${r.previousPeriod.id})`,
          value: c.previous?.percent ?? null,
          colour: GREY,
        },
      ],
      0.5,
    );
  }
  doc.moveDown(0.5);
  table(
    [
      { header: 'Area', width: 70 },
      { header: 'Measure', width: 140 },
      { header: 'This quarter', width: 95 },
      { header: 'Previous quarter', width: 95 },
      { header: 'Change', width: contentWidth - 400 },
    ],
    view.compliance.map((c) => [c.area, c.label, c.current, c.previous, c.change]),
  );

  // Training.
  doc.addPage();
  heading('Staff training by department');
  para(
    `Staff trained are people with Prevent training in the 2 years to ${view.asOfText}, counted once each from the imported staff records; for a department without staff records, the attendees of its sessions in those 2 years, up to the number requiring training. Sessions delivered are those in this quarter.`,
  );
  if (r.training.lines.length === 0) {
    para('No departments have been recorded.');
  } else {
    bars(
      r.training.lines.map((t) => ({
        label: t.department,
        value: t.percent,
        colour: t.belowTarget ? RED : GREEN,
        target: t.targetPercent,
      })),
    );
    const tt = view.training.totals;
    table(
      [
        { header: 'Department', width: 135 },
        { header: 'Staff requiring training', width: 70, align: 'right' },
        { header: 'Staff trained', width: 55, align: 'right' },
        { header: 'Sessions delivered', width: 60, align: 'right' },
        { header: 'Trained', width: 50, align: 'right' },
        { header: 'Target', width: 45, align: 'right' },
        { header: 'Counted from', width: contentWidth - 415 },
      ],
      [
        ...view.training.lines.map((t) => [
          t.belowTarget ? `${t.department} (below target)` : t.department,
          String(t.required),
          String(t.trained),
          String(t.sessions),
          t.percentText,
          `${t.targetPercent}%`,
          t.basisText,
        ]),
        ['Total', String(tt.required), String(tt.trained), String(tt.sessions), tt.percentText, '', ''],
      ],
      true,
    );
  }

  // Action plan.
  doc.addPage();
  heading('Action plan');
  if (!view.plan) {
    para('The action plan has not been set up.');
  } else {
    const p = view.plan;
    table(
      [
        { header: 'Plan', width: 160 },
        { header: p.title, width: contentWidth - 160 },
      ],
      [
        ['Last quarterly review', p.lastReview],
        ['Next review due', `${p.nextReviewDue} (${p.reviewState.toLowerCase()})`],
        ['Activities', String(p.total)],
      ],
    );
    const colours = { red: RED, amber: AMBER, green: GREEN, complete: BLUE };
    ensureSpace(60);
    const y = doc.y;
    let x = MARGIN;
    for (const s of p.rag) {
      const w = p.total ? (s.count / p.total) * contentWidth : 0;
      if (w > 0)
        doc
          .rect(x, y, w, 20)
          .fillColor(colours[s.status as keyof typeof colours])
          .fill();
      x += w;
    }
    doc.fillColor(TEXT).font(FONT).fontSize(9);
    p.rag.forEach((s, i) => {
      const lx = MARGIN + i * 120;
      doc
        .rect(lx, y + 28, 9, 9)
        .fillColor(colours[s.status as keyof typeof colours])
        .fill();
      doc.fillColor(TEXT).text(`${s.label}: ${s.count}`, lx + 14, y + 28, { lineBreak: false });
    });
    doc.x = MARGIN;
    doc.y = y + 48;
    table(
      [
        { header: 'RAG status', width: 160 },
        { header: 'Activities', width: 80, align: 'right' },
      ],
      p.rag.map((s) => [s.label, String(s.count)]),
    );
    if (view.pastQuarter)
      para('RAG statuses are as recorded now; an activity completed after this quarter counts as amber.');
    heading('Late activities', 12);
    if (p.late.length === 0) para('No activities are late.');
    else
      table(
        [
          { header: 'Activity', width: 200 },
          { header: 'Heading', width: 120 },
          { header: 'Owner', width: 100 },
          { header: 'Due', width: contentWidth - 420 },
        ],
        p.late.map((a) => [a.description, a.heading, a.owner, a.dueText]),
      );
  }

  // Outstanding items.
  doc.addPage();
  heading('Outstanding items');
  para(
    `Flags as of ${view.asOfText}, counted by rule and area: ${r.outstanding.total} in all. An action counts in the area it was raised in.`,
  );
  if (r.outstanding.rules.length === 0) {
    para('Nothing was outstanding.');
  } else {
    const areaW = Math.floor((contentWidth - 140) / (r.outstanding.areas.length + 1));
    table(
      [
        { header: 'Rule', width: contentWidth - areaW * (r.outstanding.areas.length + 1) },
        ...r.outstanding.areas.map((a) => ({ header: a.label, width: areaW, align: 'right' as const })),
        { header: 'Total', width: areaW, align: 'right' },
      ],
      [
        ...r.outstanding.rules.map((rule) => [
          rule.label,
          ...r.outstanding.areas.map((a) => String(rule.counts[a.id] ?? 0)),
          String(rule.total),
        ]),
        ['Total', ...view.outstanding.areaTotals.map(String), String(r.outstanding.total)],
      ],
      true,
    );
  }

  // Page numbers, written in the bottom margin (without it pdfkit would start a new page).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(SECONDARY)
      .text(
        printable(`Prevent board report ${r.period.id} · page ${i + 1} of ${range.count}`),
        MARGIN,
        doc.page.height - MARGIN + 10,
        { width: contentWidth, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
