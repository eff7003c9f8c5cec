import { resolve } from 'node:path';
import { DatabaseLockedError } from '../data/store/writerLock.js';
import { sweepBackupTemps } from '../jobs/backupJob.js';
import { startScheduler } from '../jobs/scheduler.js';
import { openStore } from '../data/store/openStore.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, resolveSessionSecret } from './config.js';
import { setUpGracefulStop } from './gracefulStop.js';
import { createAppServer } from './requestShapes.js';
import { createServices } from './services/createServices.js';
import { DEMO_PASSWORD, demoAccounts, setUpDemo } from './services/demoSetup.js';
import { scheduledJobs } from './scheduledJobs.js';

/** A stop asked for before the server is listening: start-up checks this and closes instead of listening. */
let stopSignal: string | null = null;
let stopNow: (signal: string) => void = (signal) => {
  stopSignal = signal;
};
process.on('SIGTERM', () => stopNow('SIGTERM'));
process.on('SIGINT', () => stopNow('SIGINT'));

/** Starts the server: `npm start`, or `npm run demo` (--demo) on var/demo.json, created on first run. */
async function main() {
  const demo = process.argv.includes('--demo');
  const config = loadConfig(process.env, demo ? { dbPath: resolve('var/demo.json') } : {});
  const store = await openStore(config, { log: (line) => console.error(line) });
  // Temp files of backups killed part-way hold personal data: nothing else would remove them.
  const swept = sweepBackupTemps(config.dbPath);
  if (swept) console.log(`Removed ${swept} unfinished backup file(s) left by a backup that was stopped.`);
  const { transactions, cut } = store.recovered;
  if (transactions || cut)
    console.log(
      `Recovered from an unclean stop: replayed ${transactions} saved change(s) from the audit log${cut ? `, cut off ${cut} unfinished line(s) never acknowledged` : ''}.`,
    );
  if (demo && store.list('users').length === 0 && !stopSignal)
    await setUpDemo(store, { passwordHashCost: config.passwordHashCost });
  if (stopSignal) {
    console.log(`${stopSignal} during start-up: stopping`);
    await store.close();
    process.exit(0);
  }
  // With DATABASE_URL, sessions are kept in the store's PostgreSQL database (shared by every instance).
  const services = createServices(store, config, resolveSessionSecret(config));
  const app = createApp(services);
  // Reminders (and their catch-up of a run missed while the server was down) start with the server.
  const scheduler = startScheduler(scheduledJobs(services), {
    tz: config.tzName,
    coordinator: services.runCoordinator,
    onError: (job, err) => console.error(`Scheduled job ${job} failed: ${(err as Error).message}`),
  });
  const server = createAppServer(app).listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // First run: nobody can sign in yet, so the one who started it gets a single-use link to make the
    // first coordinator (said before "running at", which scripts wait for, so it is there by then).
    const setupLink = services.setup.startLink();
    if (setupLink)
      console.log(
        `No account exists yet. Create the first coordinator at ${setupLink} (the link works once).`,
      );
    console.log(
      `Due Regard is running at http://localhost:${port} (database ${store.backend === 'postgres' ? 'PostgreSQL' : config.dbPath})`,
    );
    // Emails owed for events before a stop (a referral, a decision…) that were not sent yet go out now.
    void services.notifications.kick();
    if (demo) {
      console.log(`Demo accounts, all with password ${DEMO_PASSWORD}:`);
      for (const a of demoAccounts) console.log(`  ${a.email.padEnd(24)} ${a.role}`);
      console.log(`Hirers request halls without an account at http://localhost:${port}/hire`);
    }
  });
  server.on('error', (err) => {
    console.error(`Could not start: ${err.message}`);
    scheduler
      .stop()
      .then(() => store.close())
      .finally(() => process.exit(1));
  });
  const graceful = setUpGracefulStop(server, {
    close: async () => {
      await scheduler.stop();
      services.notifications.close();
      await services.notifications.idle();
      services.reminders.close();
      await services.sessions.close();
      await store.close();
    },
    log: (line) => console.log(line),
    exit: (code) => process.exit(code),
  });
  stopNow = (signal) => {
    // No new scheduled run once stopping; a run in progress finishes before the database closes.
    void scheduler.stop();
    graceful.stop(signal);
  };
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DatabaseLockedError) console.error(`Cannot start: ${err.message}`);
  else console.error(`Cannot start: ${(err as Error).message}`);
  process.exit(err instanceof DatabaseLockedError ? 3 : 1);
});
