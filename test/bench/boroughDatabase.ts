import { readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../../data/dbSchema.js';
import { Store } from '../../data/store/store.js';
import { setUpDemo } from '../../server/services/demoSetup.js';
import { generateDataset, type Scale } from './datasetGenerator.js';

/**
 * A database file at `dbPath`: the demo borough (its accounts sign in) plus a generated dataset at `scale`.
 * The generated records are added to the file directly, so the audit log stays as the demo left it and
 * the file's head still matches it.
 */
export async function createBoroughDatabase(dbPath: string, scale: Scale, asOf: string): Promise<Db> {
  const demo = await Store.open(dbPath);
  await setUpDemo(demo, { passwordHashCost: 10, today: asOf });
  await demo.close();
  const db = JSON.parse(readFileSync(dbPath, 'utf8')) as Db;
  const generated = generateDataset(scale, asOf) as unknown as Record<string, unknown[]>;
  for (const [name, records] of Object.entries(generated)) {
    if (!Array.isArray(records)) continue;
    const list = (db as unknown as Record<string, unknown[]>)[name];
    if (!list) throw new Error(`The generated dataset has ${name}, which the database does not`);
    for (const r of records) list.push(r);
  }
  writeFileSync(dbPath, JSON.stringify(db));
  // Records made through the store get their audit-log key when created; these were added directly.
  const store = await Store.open(dbPath);
  for (const h of store.list('hirers')) store.keys.keyFor(`hirers/${h.id}`);
  for (const b of store.list('bookings')) store.keys.keyFor(`bookings/${b.id}`);
  await store.keys.flush();
  await store.close();
  return db;
}
