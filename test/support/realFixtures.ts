import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The real published samples live beside the project (../shared/fixtures/real), not in it. */
export const realDir = resolve(process.cwd(), '../shared/fixtures/real');

/** The path of one real sample. */
export const realFile = (name: string) => join(realDir, name);

/**
 * Skips the running test when a sample it reads is absent (a clean clone has none), putting the reason
 * in its title so the run lists it as pending and says why, instead of the test silently not existing.
 */
export function needRealFixtures(ctx: Mocha.Context, ...names: string[]): void {
  const missing = names.filter((n) => !existsSync(realFile(n)));
  if (missing.length === 0) return;
  const reason = existsSync(realDir)
    ? `${missing.join(', ')} not in ../shared/fixtures/real`
    : '../shared/fixtures/real is not beside the project';
  // In a beforeEach hook the test about to run is currentTest; inside a test it is test.
  const test = ctx.currentTest ?? ctx.test;
  if (test) test.title += ` (skipped: ${reason})`;
  ctx.skip();
}
