/**
 * SPEC §12: a national GIAS file previewed through HTTP (upload streamed to disk, read and compared with
 * the register, preview ready) against `import schools FILE` as the CLI runs it (read, save, close), each
 * on a fresh database, best of three. Run alone: `npx tsx test/bench/importPreviewBench.ts [--quick]`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/cli/cli.js';
import { startTestApp } from '../support/testApp.js';
import { generateGiasCsv } from './giasGenerator.js';

export interface ImportPreviewFigures {
  rows: number;
  megabytes: number;
  cliMs: number;
  previewMs: number;
  ratio: number;
}

const PASSWORD = 'bench coordinator password';

async function bestMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** `npx dueregard import schools FILE` in this process, on a fresh database. */
async function cliImport(file: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-bench-cli-'));
  try {
    const errors: string[] = [];
    const code = await runCli(['import', 'schools', file, '--db', join(dir, 'dueregard.json')], {
      out: () => {},
      err: (s) => errors.push(s),
      isTty: false,
      env: { NODE_ENV: 'production' },
    });
    if (code !== 0) throw new Error(`The CLI import failed (${code}): ${errors.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The app on a fresh database with one coordinator, signed in; times upload → preview ready. */
async function httpPreview(file: string, runs: number): Promise<number> {
  const t = await startTestApp({ demo: false, production: true });
  try {
    await t.services.users.create(
      'bench',
      { email: 'bench@council.test', name: 'Bench Coordinator', role: 'coordinator' },
      PASSWORD,
    );
    const c = await t.signIn('bench@council.test', PASSWORD);
    await c.refreshCsrf('/imports');
    return await bestMs(async () => {
      const res = await c.agent
        .post('/imports')
        .field('_csrf', c.csrf)
        .field('kind', 'schools')
        .attach('file', file);
      if (res.status !== 303) throw new Error(`The upload answered ${res.status}`);
      for (;;) {
        const page = await c.get(res.headers.location!);
        if (!page.text.includes('This page updates by itself')) {
          if (!page.text.includes('To add')) throw new Error('The preview did not show the counts');
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }, runs);
  } finally {
    await t.close();
  }
}

export async function importPreviewFigures(rows: number, runs = 3): Promise<ImportPreviewFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-bench-gias-file-'));
  try {
    const bytes = generateGiasCsv(rows, 139);
    const file = join(dir, 'edubasealldata20260601.csv');
    writeFileSync(file, bytes);
    await cliImport(file); // warm-up (module loading, JIT)
    const cliMs = await bestMs(() => cliImport(file), runs);
    const previewMs = await httpPreview(file, runs);
    return {
      rows,
      megabytes: Math.round((bytes.length / 1_048_576) * 10) / 10,
      cliMs: Math.round(cliMs),
      previewMs: Math.round(previewMs),
      ratio: Math.round((previewMs / cliMs) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const f = await importPreviewFigures(quick ? 5_000 : 52_000);
  console.log(
    `gias preview: ${f.rows} rows (${f.megabytes} MB): through HTTP ${f.previewMs} ms, CLI import ${f.cliMs} ms: ratio ${f.ratio}`,
  );
}
