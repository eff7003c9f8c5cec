import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface E2eServer {
  baseUrl: string;
  /** The temp folder the server runs in; its database is var/demo.json inside it. */
  dir: string;
  /** Everything the server printed so far (stdout and stderr, interleaved). */
  output(): string;
  stop(): Promise<void>;
}

// tsx's ESM loader, by absolute URL: the server runs in a temp folder where `--import tsx` would not resolve.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const STARTED = /running at (http:\/\/\S+)/;

/**
 * Starts the real server as a child process, as `npm run demo` does, but in a fresh temp folder: `--demo`
 * creates var/demo.json relative to the working directory, so each server gets its own demo borough,
 * session secret and outbox, and nothing touches the project's var/. PORT=0 lets the OS pick a free port;
 * the URL is read from the line the server prints when it is listening.
 */
export async function startE2eServer(
  opts: { env?: Record<string, string>; demo?: boolean } = {},
): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    NODE_ENV: 'development',
    // The minimum the config allows: demo set-up and sign-in stay quick.
    PASSWORD_HASH_COST: '10',
    TSX_TSCONFIG_PATH: join(projectRoot, 'tsconfig.json'),
    ...opts.env,
  };
  for (const k of ['DUEREGARD_DB', 'SMTP_URL', 'BASE_URL', 'SESSION_SECRET']) {
    if (!opts.env?.[k]) delete env[k];
  }
  const child = spawn(
    process.execPath,
    // Without the demo (`demo: false`): `npm start` on an empty database in the temp folder, as on a first run.
    ['--import', tsxLoader, join(projectRoot, 'server/main.ts'), ...(opts.demo === false ? [] : ['--demo'])],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If the test run itself is stopped (Ctrl-C, --exit), the server goes with it rather than lingering.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > 1_000_000) log = log.slice(-500_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);

  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) {
        // Say so at once: every later test would otherwise fail with "connection refused" and no reason.
        const why = `[e2e harness] the server stopped unexpectedly (exit ${code}, signal ${signal}); it was not stopped by the harness`;
        log += `${why}\n`;
        console.error(`      ${why}`);
      }
      resolve(code);
    }),
  );
  let baseUrl: string;
  try {
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The server did not start within 60 s. Its output:\n${log}`)),
        60_000,
      );
      const onData = () => {
        const m = STARTED.exec(log);
        if (m) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve((m[1] ?? '').replace('//localhost:', '//127.0.0.1:'));
        }
      };
      child.stdout!.on('data', onData);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`The server stopped while starting (exit ${code}). Its output:\n${log}`));
      });
    });
  } catch (err) {
    stopping = true;
    await stopChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    baseUrl,
    dir,
    output: () => log,
    async stop() {
      stopping = true;
      await stopChild(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM (the server finishes requests and closes its store), SIGKILL only if it hangs. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
