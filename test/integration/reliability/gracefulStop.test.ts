import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { HttpVisitor, type ServerProcess, premisesForm, startServer } from '../../support/serverProcess.js';
import { tempFolders } from '../../support/tempFolder.js';
import { DEMO_PASSWORD } from '../../support/testApp.js';

const folders = tempFolders('stop');

/** Resolves true once a new connection to the port is refused (the server stopped listening). */
async function refusesConnections(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
    });
    if (refused) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('Reliability: stopping the server with SIGTERM', function () {
  this.timeout(60_000);
  let server: ServerProcess | null = null;

  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    server = null;
    folders.cleanUp();
  });

  it('when a write is in flight as SIGTERM arrives, then new connections are refused, the write completes and is on disk, the lock is released and the process exits 0', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    expect((await runCliInProcess(['demo', '--db', dbPath])).code).to.equal(0);
    server = await startServer({ dbPath });
    const visitor = new HttpVisitor(server.url);
    await visitor.signIn('coordinator@demo.test', DEMO_PASSWORD);

    // Expect: 100-continue makes the server confirm it has the request's headers before the body is sent,
    // so the request is certainly in progress when the signal arrives, and stays so until we send the body.
    const body = new URLSearchParams({
      _csrf: visitor.csrf,
      ...premisesForm({ ref: 'STOP-1', name: 'Written during the stop' }),
    }).toString();
    const req = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/premises',
      headers: {
        cookie: visitor.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    await new Promise<void>((resolve) => req.once('continue', () => resolve()));
    server.child.kill('SIGTERM');

    expect(await refusesConnections(server.port), 'new connections refused after SIGTERM').to.equal(true);
    expect(server.child.exitCode, 'still running while the request is in progress').to.equal(null);

    req.end(body);
    const res = await response;
    res.resume();
    expect(res.statusCode).to.equal(303);
    expect(res.headers.location).to.match(/^\/premises\/[0-9a-f-]{36}$/);
    expect(res.headers.connection).to.equal('close');

    const { code, signal } = await server.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(server.output().stdout).to.include('SIGTERM: finishing 1 request(s) in progress');
    expect(existsSync(`${dbPath}.lock`), 'lock file removed').to.equal(false);

    const id = res.headers.location!.split('/').pop()!;
    const store = await Store.open(dbPath);
    try {
      expect(store.get('premises', id)?.name).to.equal('Written during the stop');
    } finally {
      await store.close();
    }
    const cli = await runCliInProcess([
      'users',
      'add',
      '--db',
      dbPath,
      '--email',
      'after@x.test',
      '--name',
      'After Stop',
      '--role',
      'viewer',
    ]);
    expect(cli.code, cli.stderr).to.equal(0);
  });

  it('when SIGTERM arrives with only idle keep-alive connections open, then the process exits 0 and releases the lock', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    expect((await runCliInProcess(['demo', '--db', dbPath])).code).to.equal(0);
    server = await startServer({ dbPath });
    const visitor = new HttpVisitor(server.url);
    await visitor.signIn('viewer@demo.test', DEMO_PASSWORD);
    expect((await visitor.get('/')).status).to.equal(200);

    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(existsSync(`${dbPath}.lock`)).to.equal(false);
    expect((await runCliInProcess(['audit', 'verify', '--db', dbPath])).code).to.equal(0);
  });
});
