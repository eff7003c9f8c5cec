import { resolve } from 'node:path';
import { DatabaseLockedError } from '../data/store/writerLock.js';
import { startScheduler } from '../jobs/scheduler.js';
import { Store } from '../data/store/store.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, resolveSessionSecret } from './config.js';
import { createServices } from './services/createServices.js';
import { DEMO_PASSWORD, demoAccounts, setUpDemo } from './services/demoSetup.js';
import { scheduledJobs } from './scheduledJobs.js';

/** Starts the server: `npm start`, or `npm run demo` (--demo) on var/demo.json, created on first run. */
async function main() {
  const demo = process.argv.includes('--demo');
  const config = loadConfig(process.env, demo ? { dbPath: resolve('var/demo.json') } : {});
  const store = await Store.open(config.dbPath);
  if (demo && store.list('users').length === 0)
    await setUpDemo(store, { passwordHashCost: config.passwordHashCost });
  const services = createServices(store, config, resolveSessionSecret(config));
  const app = createApp(services);
  // Reminders (and their catch-up of a run missed while the server was down) start with the server.
  const scheduler = startScheduler(scheduledJobs(services), {
    tz: config.tzName,
    onError: (job, err) => console.error(`Scheduled job ${job} failed: ${(err as Error).message}`),
  });
  const server = app.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`Due Regard is running at http://localhost:${port} (database ${config.dbPath})`);
    if (demo) {
      console.log(`Demo accounts, all with password ${DEMO_PASSWORD}:`);
      for (const a of demoAccounts) console.log(`  ${a.email.padEnd(24)} ${a.role}`);
    }
  });
  server.on('error', (err) => {
    console.error(`Could not start: ${err.message}`);
    scheduler
      .stop()
      .then(() => store.close())
      .finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in progress, then stopping`);
    server.close(async () => {
      await scheduler.stop();
      services.reminders.close();
      await store.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DatabaseLockedError) console.error(`Cannot start: ${err.message}`);
  else console.error(`Cannot start: ${(err as Error).message}`);
  process.exit(err instanceof DatabaseLockedError ? 3 : 1);
});
