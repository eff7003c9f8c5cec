import { readFileSync, statSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { openStore } from '../../data/store/openStore.js';
import type { Store } from '../../data/store/store.js';
import type { Config } from '../config.js';
import type { ImportCounts } from '../services/importPlan.js';
import type { CliIo } from './cli.js';

export class UsageError extends Error {}

/** Refused input: exit 1, nothing written. */
export class RefusedError extends Error {
  refused = true;
}

export interface CliContext {
  config: Config;
  values: Record<string, unknown>;
  positionals: string[];
  asOf: string;
  io: CliIo;
}

export interface CliCommand {
  usage: string;
  options?: ParseArgsConfig['options'];
  run(ctx: CliContext): Promise<number>;
}

/** Opens the database to write (takes the lock: exit 3 when the server holds it), runs, closes. */
export async function withWritableStore<T>(ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  // A database that does not exist yet is created only by a change: a dry run or a refusal leaves no file.
  const store = await openStore(ctx.config, { deferCreate: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Opens the database read-only: works while the server runs (a file store's writes are atomic renames;
 * PostgreSQL reads a committed snapshot).
 */
export async function withReadOnlyStore<T>(
  ctx: CliContext,
  fn: (store: Store) => Promise<T> | T,
): Promise<T> {
  const store = await openStore(ctx.config, { write: false });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function readInputFile(ctx: CliContext, usage: string): Buffer {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) throw new UsageError(`Give exactly one FILE. ${usage}`);
  try {
    if (!statSync(file).isFile()) throw new RefusedError(`${file} is not a file`);
    return readFileSync(file);
  } catch (err) {
    if (err instanceof RefusedError) throw err;
    throw new RefusedError(
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

export function printCounts(ctx: CliContext, counts: ImportCounts, dryRun: boolean): void {
  ctx.io.out(
    `${dryRun ? 'Dry run, nothing written: ' : ''}created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, skipped ${counts.skipped}`,
  );
}

export const dryRunOption = { 'dry-run': { type: 'boolean' as const } };
