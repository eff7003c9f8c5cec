import { runCli } from '../../server/cli/cli.js';

/** Runs `npx dueregard ARGS` in this process (fast: no new Node, no tsx start-up), capturing its output. */
export async function runCliInProcess(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    isTty: false,
    env: { NODE_ENV: 'test', PASSWORD_HASH_COST: '10', ...env },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
