import type { BoardReport } from '../../../checks/report/boardReport.js';
import { escapeHtml } from '../../escapeHtml.js';
import { colours, ragLabels } from './reportText.js';

/** Every bar also carries its figure as text, so colour is never the only cue. */
const { blue: BLUE, grey: GREY, green: GREEN, red: RED, amber: AMBER, text: TEXT } = colours;
const FONT = 'font-family="Arial, Helvetica, sans-serif"';

const WIDTH = 720;
const LABEL_WIDTH = 270;
const BAR_X = LABEL_WIDTH + 10;
const BAR_MAX = 280;

function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An inline SVG chart: no script, named by its title and described in words for screen readers. */
function svg(id: string, height: number, title: string, desc: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-report-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>${body}</svg>`
  );
}

const text = (x: number, y: number, s: string, extra = '') =>
  `<text x="${x}" y="${y}" ${FONT} font-size="14" fill="${TEXT}"${extra}>${escapeHtml(s)}</text>`;
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x}" y="${y}" width="${Math.max(0, Math.round(w * 10) / 10)}" height="${h}" fill="${fill}"/>`;

/** Compliance per measure: this quarter (blue) above the previous quarter (grey), 0–100%. */
export function complianceChart(r: BoardReport): string {
  const rowH = 46;
  const top = 34;
  const height = top + r.compliance.length * rowH + 6;
  let body =
    rect(BAR_X, 8, 14, 14, BLUE) +
    text(BAR_X + 20, 20, r.period.id) +
    rect(BAR_X + 110, 8, 14, 14, GREY) +
    text(BAR_X + 130, 20, `${r.previousPeriod.id} (previous)`);
  const words: string[] = [];
  r.compliance.forEach((c, i) => {
    const y = top + i * rowH;
    body += text(0, y + 20, clip(c.label));
    if (!c.current && !c.previous) {
      body += text(BAR_X, y + 20, 'No data');
      words.push(`${c.label}: no data`);
      return;
    }
    const cur = c.current?.percent ?? 0;
    const prev = c.previous?.percent ?? 0;
    body += rect(BAR_X, y + 4, (cur / 100) * BAR_MAX, 18, BLUE);
    body += text(BAR_X + (cur / 100) * BAR_MAX + 6, y + 18, c.current ? `${cur}%` : 'No data');
    body += rect(BAR_X, y + 25, (prev / 100) * BAR_MAX, 10, GREY);
    body += text(
      BAR_X + (prev / 100) * BAR_MAX + 6,
      y + 35,
      c.previous ? `${prev}%` : 'No data',
      ' font-size="12"',
    );
    words.push(
      `${c.label}: ${c.current ? `${cur}%` : 'no data'} this quarter, ${c.previous ? `${prev}%` : 'no data'} the previous quarter`,
    );
  });
  return svg('chart-compliance', height, 'Compliance by area', `${words.join('. ')}.`, body);
}

/** Trained share per department, with a mark at its target; below target in red. */
export function trainingChart(r: BoardReport): string {
  const rowH = 32;
  const lines = r.training.lines;
  const height = Math.max(40, lines.length * rowH + 10);
  let body = '';
  const words: string[] = [];
  lines.forEach((t, i) => {
    const y = 6 + i * rowH;
    body += text(0, y + 17, clip(t.department));
    if (t.percent === null) {
      body += text(BAR_X, y + 17, 'No staff requiring training');
      words.push(`${t.department}: no staff requiring training`);
      return;
    }
    body += rect(BAR_X, y + 4, (t.percent / 100) * BAR_MAX, 18, t.belowTarget ? RED : GREEN);
    const targetX = BAR_X + (t.targetPercent / 100) * BAR_MAX;
    body += `<line x1="${targetX}" y1="${y}" x2="${targetX}" y2="${y + 26}" stroke="${TEXT}" stroke-width="2"/>`;
    body += text(BAR_X + BAR_MAX + 12, y + 18, `${t.percent}% (target ${t.targetPercent}%)`);
    words.push(
      `${t.department}: ${t.percent}% trained, target ${t.targetPercent}%${t.belowTarget ? ', below target' : ''}`,
    );
  });
  if (lines.length === 0) body = text(0, 24, 'No departments recorded');
  return svg(
    'chart-training',
    height,
    'Share of staff trained by department',
    words.length ? `${words.join('. ')}.` : 'No departments recorded.',
    body,
  );
}

/** Action plan activities by RAG status, as one stacked bar with a legend that carries the counts. */
export function ragChart(rag: Record<keyof typeof ragLabels, number>): string {
  const colours = { red: RED, amber: AMBER, green: GREEN, complete: BLUE };
  const total = Object.values(rag).reduce((a, b) => a + b, 0);
  const barW = WIDTH - 20;
  let x = 0;
  let body = '';
  const entries = Object.entries(ragLabels) as [keyof typeof ragLabels, string][];
  for (const [status] of entries) {
    const w = total ? (rag[status] / total) * barW : 0;
    body += rect(x, 4, w, 28, colours[status]);
    x += w;
  }
  if (total === 0) body += rect(0, 4, barW, 28, GREY);
  entries.forEach(([status, label], i) => {
    const lx = i * 165;
    body += rect(lx, 46, 14, 14, colours[status]) + text(lx + 20, 58, `${label}: ${rag[status]}`);
  });
  const desc = entries.map(([status, label]) => `${label} ${rag[status]}`).join(', ');
  return svg('chart-rag', 70, 'Action plan activities by RAG status', `${desc}.`, body);
}
