import { runCli } from './cli.js';
import { quietOnClosedPipe } from './quietOnClosedPipe.js';

// `dueregard checks --json | head -c1`: the reader left early; the work's own exit code still stands.
const stdout = quietOnClosedPipe(process.stdout);
const stderr = quietOnClosedPipe(process.stderr);
const code = await runCli(process.argv.slice(2), {
  out: (s) => stdout(`${s}\n`),
  err: (s) => stderr(`${s}\n`),
  isTty: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
