import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestAgent } from './testApp.js';

export const csvFixture = (name: string) =>
  join(fileURLToPath(new URL('../fixtures/csv/', import.meta.url)), name);

/** Uploads a file to POST /imports as the browser form sends it: token, kind and options before the file. */
export function uploadImport(
  t: TestAgent,
  kind: string,
  file: string | { name: string; bytes: Buffer },
  fields: Record<string, string | string[]> = {},
) {
  let req = t.agent.post('/imports').field('_csrf', t.csrf).field('kind', kind);
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) req = req.field(k, one);
  return typeof file === 'string'
    ? req.attach('file', file)
    : req.attach('file', file.bytes, { filename: file.name, contentType: 'text/csv' });
}

/** Follows an upload's 303 to its preview, asking again while the file is still being read. */
export async function previewPage(t: TestAgent, location: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const page = await t.get(location);
    if (page.status !== 200) throw new Error(`${location} answered ${page.status}`);
    if (!page.text.includes('This page updates by itself')) return page.text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${location} was still being read after 30 s`);
}

/** The page's visible text, tags removed and spaces collapsed (for reading counts and messages). */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The four counts of a preview ("To add 3 …") or an imported page ("Added 3 …"). */
export function countsOn(html: string): {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
} {
  const text = pageText(html);
  const read = (labels: string[]) => {
    for (const l of labels) {
      const m = new RegExp(`${l} ([\\d,]+)`).exec(text);
      if (m) return Number(m[1]!.replace(/,/g, ''));
    }
    throw new Error(`No "${labels[0]}" count on the page: ${text.slice(0, 400)}`);
  };
  return {
    created: read(['To add', 'Added']),
    updated: read(['To update', 'Updated']),
    unchanged: read(['To leave unchanged', 'Left unchanged']),
    skipped: read(['To skip', 'Skipped']),
  };
}

/** The counts the CLI printed ("created 3, updated 0, unchanged 1, skipped 0"). */
export function cliCounts(out: string) {
  const m = /created (\d+), updated (\d+), unchanged (\d+), skipped (\d+)/.exec(out);
  if (!m) throw new Error(`No counts in the CLI output: ${out}`);
  return { created: Number(m[1]), updated: Number(m[2]), unchanged: Number(m[3]), skipped: Number(m[4]) };
}
