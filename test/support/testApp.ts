import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { PgPool } from '../../data/pg/pgPool.js';
import { moveToPostgres } from '../../jobs/moveToPostgres.js';
import { openStore } from '../../data/store/openStore.js';
import type { Store } from '../../data/store/store.js';
import { createApp } from '../../server/app.js';
import { createAppServer } from '../../server/requestShapes.js';
import { type Config, loadConfig } from '../../server/config.js';
import { createServices, type Services } from '../../server/services/createServices.js';
import { DEMO_PASSWORD, setUpDemo } from '../../server/services/demoSetup.js';
import { testDatabaseUrl } from './testBackend.js';

export { DEMO_PASSWORD };

export interface TestApp {
  dir: string;
  dbPath: string;
  store: Store;
  services: Services;
  app: ReturnType<typeof createApp>;
  config: Config;
  /** A supertest agent signed in as this email (demo password unless given). */
  signIn(email: string, password?: string): Promise<TestAgent>;
  close(): Promise<void>;
}

export interface TestAgent {
  agent: ReturnType<typeof request.agent>;
  /** The session's CSRF token, read from a page. */
  csrf: string;
  /** GET a page and return its CSRF token (forms carry it). */
  refreshCsrf(path?: string): Promise<string>;
  /** POST a form with the session's CSRF token. */
  post(path: string, form?: Record<string, string | string[]>): Promise<request.Response>;
  get(path: string): Promise<request.Response>;
}

/** Supertest leaves unknown content types unread: `.buffer(true).parse(binaryBody)` collects the bytes. */
export function binaryBody(
  res: import('superagent').Response,
  cb: (err: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the page');
  return m[1] ?? '';
}

/** A fresh database in a temp folder with the demo borough (unless `demo: false`), and the app on it. */
export async function startTestApp(
  opts: {
    demo?: boolean;
    production?: boolean;
    today?: string;
    config?: Partial<Config>;
    /** The app's clock (the store's, which sessions and sign-in throttling also read). */
    now?: () => Date;
    /** Start from a copy of this closed test app's folder (same records, same ids) instead of a new demo. */
    copyOf?: string;
    /** Keep sessions in this PostgreSQL database (schema steps applied) instead of in memory. */
    pgPool?: PgPool;
    /**
     * Makes the database file first (e.g. `createBoroughDatabase`); the demo is then not set up again. On
     * PostgreSQL the file store it made is then moved into the test's database (`move-to-postgres`), so the
     * app starts on the same records whichever backend is under test.
     */
    prepare?: (dbPath: string) => Promise<unknown>;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-test-'));
  const dbPath = join(dir, 'test.json');
  // The file store, or with DUEREGARD_TEST_BACKEND=postgres a fresh PostgreSQL database (see testBackend.ts).
  // A copy of a file-store folder is a file store whatever the backend under test.
  const pg = opts.copyOf ? { databaseUrl: null, drop: async () => {} } : await testDatabaseUrl('app');
  const config = loadConfig(
    { NODE_ENV: opts.production ? 'production' : 'test', PASSWORD_HASH_COST: '10' },
    { dbPath, databaseUrl: pg.databaseUrl, ...opts.config },
  );
  if (opts.copyOf) cpSync(opts.copyOf, dir, { recursive: true, filter: (from) => !from.endsWith('.lock') });
  if (opts.prepare) {
    await opts.prepare(dbPath);
    if (pg.databaseUrl) await moveToPostgres(dbPath, pg.databaseUrl);
  }
  const store = await openStore(config, { now: opts.now });
  if (opts.demo !== false && !opts.copyOf && !opts.prepare)
    await setUpDemo(store, { passwordHashCost: 10, today: opts.today });
  const services = createServices(store, config, 'test-secret-0123456789abcdef0123456789', {
    pgPool: opts.pgPool,
  });
  const app = createApp(services);
  // Signed-in agents go through the server the app runs on (its own request and response objects).
  const server = createAppServer(app);

  async function signIn(email: string, password = DEMO_PASSWORD): Promise<TestAgent> {
    const agent = request.agent(server);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email, password, next: '/' });
    if (res.status !== 303) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
    const t: TestAgent = {
      agent,
      csrf: '',
      async refreshCsrf(path = '/') {
        const r = await agent.get(path);
        t.csrf = csrfFrom(r.text);
        return t.csrf;
      },
      post: (path, form = {}) =>
        agent
          .post(path)
          .type('form')
          .send({ _csrf: t.csrf, ...form }),
      get: (path) => agent.get(path),
    };
    await t.refreshCsrf('/');
    return t;
  }

  return {
    dir,
    dbPath,
    store,
    services,
    app,
    config,
    signIn,
    async close() {
      await services.sessions.close();
      await store.close();
      await pg.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
