import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../server/cli/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../../server/cli/dueregard.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A cheap password hash: the CLI's own cost would make each `users add` take most of a second. */
const testEnv = (env: Record<string, string>) => ({ ...process.env, PASSWORD_HASH_COST: '10', ...env });

/**
 * Runs one `dueregard` command inside this process through `runCli`, the function the real binary calls,
 * collecting what it prints. A fraction of a process's cost (no Node or tsx start-up), and the event loop
 * stays free for servers the test runs beside it.
 */
export async function runCliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    out: (s) => {
      stdout += `${s}\n`;
    },
    err: (s) => {
      stderr += `${s}\n`;
    },
    isTty: false,
    env: testEnv(env),
  });
  return { code, stdout, stderr };
}

/**
 * Runs `dueregard` as a real separate process, as a user would through npx, without blocking this process
 * (a blocked event loop could not answer the in-process server or SMTP sink the CLI talks to). Kept for the
 * few smoke tests of the binary itself and for holding the database from another process.
 */
export function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: root, env: testEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
