/**
 * A retention run in a process of its own, for crash tests: `node --import tsx retentionCrashChild.ts DB
 * STAGE`. It prints "ready" once the database is open, then runs retention as of 2040-01-01, and at STAGE
 * prints the stage's name and waits to be killed: `purge` (never pauses: the test kills it mid-run),
 * `after-purge` (the records' personal data removed, the keys not yet destroyed), `after-keys` (keys
 * destroyed, the pending list not yet cleared).
 */
import { Store } from '../../data/store/store.js';
import { runRetention } from '../../jobs/retentionJob.js';

const [db, stage] = process.argv.slice(2);
const wait = (name: string) => {
  process.stdout.write(`${name}\n`);
  return new Promise<never>(() => setInterval(() => {}, 1000));
};
const store = await Store.open(db!);
process.stdout.write('ready\n');
if (stage === 'purge') {
  await runRetention(store, { asOf: '2040-01-01', retentionYears: 6 });
  process.stdout.write('done\n');
} else {
  await runRetention(store, { asOf: '2040-01-01', retentionYears: 6, followUps: [] });
  if (stage === 'after-purge') await wait(stage);
  await store.keys.destroy(store.data.meta.erasePending);
  await wait('after-keys');
}
