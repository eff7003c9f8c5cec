import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  isTty: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
