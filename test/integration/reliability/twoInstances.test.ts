import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PgStore } from '../../../data/pg/pgStore.js';
import { DEMO_PASSWORD, setUpDemo } from '../../../server/services/demoSetup.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import {
  csrfIn,
  HttpVisitor,
  premisesForm,
  type ServerProcess,
  startServer,
} from '../../support/serverProcess.js';

/** Two real server processes on one PostgreSQL database (SPEC §14): each on its own machine, in effect. */
describe('Two server instances on one PostgreSQL database', function () {
  this.timeout(120_000);
  let db: TestPgDatabase;
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];

  async function instance(): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'dueregard-instance-'));
    dirs.push(dir);
    const server = await startServer({ dbPath: join(dir, 'dueregard.json'), env: { DATABASE_URL: db.url } });
    servers.push(server);
    return server;
  }

  async function visitor(server: ServerProcess): Promise<HttpVisitor> {
    const v = new HttpVisitor(server.url);
    await v.signIn('coordinator@demo.test', DEMO_PASSWORD);
    return v;
  }

  /** Reads the premises page on `v` until `seen` holds of it, for at most `ms`; how long it took. */
  async function until(
    v: HttpVisitor,
    path: string,
    seen: (html: string) => boolean,
    ms: number,
  ): Promise<number> {
    const start = Date.now();
    for (;;) {
      if (seen((await v.get(path)).text)) return Date.now() - start;
      if (Date.now() - start > ms) throw new Error(`${path} did not show the change within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  before(async () => {
    db = await createTestPgDatabase('instances');
    const seed = await PgStore.open(db.url, { path: join(tmpdir(), 'dueregard-seed.json'), follow: false });
    await setUpDemo(seed, { passwordHashCost: 10 });
    await seed.close();
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  after(async () => {
    await db.drop();
  });

  it('when a change is saved through one, then the other shows it, and an edit from one version through both gives one 303 and one 409', async () => {
    const [a, b] = await Promise.all([instance(), instance()]);
    const [va, vb] = await Promise.all([visitor(a), visitor(b)]);
    const created = await va.post('/premises', premisesForm({ ref: 'TWO-1', name: 'Made on A' }));
    expect(created.status).to.equal(303);
    const path = created.location ?? '';
    expect(path).to.match(/^\/premises\/[0-9a-f-]{36}$/);
    const ms = await until(vb, path, (html) => html.includes('Made on A'), 5_000);
    console.log(`      (seen through the other instance after ${ms} ms)`);

    // Both open the edit form at version 1, then both save.
    const [formA, formB] = await Promise.all([va.get(`${path}/edit`), vb.get(`${path}/edit`)]);
    expect(formA.status).to.equal(200);
    expect(formB.status).to.equal(200);
    va.csrf = csrfIn(formA.text);
    vb.csrf = csrfIn(formB.text);
    const [saveA, saveB] = await Promise.all([
      va.post(path, { ...premisesForm({ ref: 'TWO-1', name: 'Saved on A' }), version: '1' }),
      vb.post(path, { ...premisesForm({ ref: 'TWO-1', name: 'Saved on B' }), version: '1' }),
    ]);
    expect([saveA.status, saveB.status].sort()).to.deep.equal([303, 409]);
    const winner = saveA.status === 303 ? 'Saved on A' : 'Saved on B';
    await until(va, path, (html) => html.includes(winner), 5_000);
    await until(vb, path, (html) => html.includes(winner), 5_000);
  });

  it('when one is killed (kill -9) during a stream of writes, then every acknowledged write is in the audit log and shows on the other', async () => {
    const [a, b] = await Promise.all([instance(), instance()]);
    const [va, vb] = await Promise.all([visitor(a), visitor(b)]);
    const acknowledged: string[] = [];
    let lastPath = '';
    let stop = false;
    const stream = (async () => {
      for (let n = 0; !stop; n++) {
        try {
          const res = await va.post('/premises', premisesForm({ ref: `KILL-${n}`, name: `Stream ${n}` }));
          if (res.status !== 303) continue;
          acknowledged.push(`KILL-${n}`);
          lastPath = res.location ?? '';
        } catch {
          return; // killed: this write was never answered
        }
      }
    })();
    while (acknowledged.length < 10) await new Promise((r) => setTimeout(r, 10));
    a.child.kill('SIGKILL');
    stop = true;
    await stream;
    await a.exited;

    const reader = await PgStore.open(db.url, {
      path: join(tmpdir(), 'dueregard-reader.json'),
      write: false,
    });
    try {
      const logged = new Set(
        (await reader.auditSource.readAll())
          .filter((e) => e.action === 'create' && e.collection === 'premises')
          .map((e) => (e.after as { ref?: string }).ref),
      );
      for (const ref of acknowledged) expect(logged.has(ref), `${ref} in the audit log`).to.be.true;
      const refs = new Set(reader.list('premises').map((p) => p.ref));
      for (const ref of acknowledged) expect(refs.has(ref), `${ref} stored`).to.be.true;
    } finally {
      await reader.close();
    }
    const last = acknowledged.at(-1) ?? '';
    await until(vb, lastPath, (html) => html.includes(last), 5_000);
  });
});
