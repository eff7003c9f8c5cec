/**
 * What a flood of cookie-less requests holds in memory (SPEC §10, issue #14.7):
 * `node --expose-gc --import tsx test/bench/anonymousSessionsBench.ts [--requests 200000] [--json]`.
 *
 * Starts the app in this process on a demo database, then sends `requests` requests without a cookie
 * (autocannon, 10 connections): half to the sign-in page (the one page that must keep a session, for its
 * form's CSRF token), half to pages that redirect to it. Prints the sessions held and the heap before and
 * after (each after a full garbage collection when `--expose-gc` is given). Not run by CI.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startTestApp } from '../support/testApp.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '200000' }, json: { type: 'boolean', default: false } },
});
const requests = Number(values.requests);
const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
};

const t = await startTestApp({ production: true });
const server = createServer(t.app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const before = { heapMb: heapMb(), sessions: await t.services.sessions.count() };
const started = performance.now();
const result = await autocannon({
  url,
  connections: 10,
  amount: requests,
  requests: [
    { method: 'GET', path: '/login' },
    { method: 'GET', path: '/' },
  ],
});
const after = { heapMb: heapMb(), sessions: await t.services.sessions.count() };
const figures = {
  requests: result.requests.total,
  seconds: Math.round((performance.now() - started) / 100) / 10,
  non2xx3xx: result.non2xx - result['3xx'],
  sessionsBefore: before.sessions,
  sessionsAfter: after.sessions,
  heapBeforeMb: before.heapMb,
  heapAfterMb: after.heapMb,
  gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
  load: loadavg().map((n) => Math.round(n * 100) / 100),
};
console.log(
  `${figures.requests} cookie-less requests in ${figures.seconds} s: sessions ${figures.sessionsBefore} → ${figures.sessionsAfter}, heap ${figures.heapBeforeMb} → ${figures.heapAfterMb} MB (load ${figures.load.join(', ')})`,
);
if (values.json) console.log(JSON.stringify({ anonymousSessions: figures }));
await new Promise((resolve) => server.close(resolve));
await t.close();
