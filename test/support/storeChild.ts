import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const storeModule = pathToFileURL(join(repoRoot, 'data/store/store.ts')).href;

/** Opens the store in a child and holds it until its stdin closes. */
export const HOLD_STORE = `
const { Store } = await import(process.env.STORE_MODULE);
const store = await Store.open(process.env.DB_PATH);
process.stdout.write('ready\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await store.close(); process.exit(0); });
`;

/** Tries to open the store in a child and prints what happened as one JSON line. */
export const TRY_STORE = `
const { Store } = await import(process.env.STORE_MODULE);
try {
  const store = await Store.open(process.env.DB_PATH);
  await store.close();
  console.log(JSON.stringify({ opened: true }));
} catch (err) {
  console.log(JSON.stringify({ opened: false, name: err.name, ctor: err.constructor.name, holderPid: err.holderPid, message: err.message }));
}
`;

export function startChild(code: string, dbPath: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repoRoot,
    env: { ...process.env, STORE_MODULE: storeModule, DB_PATH: dbPath, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Everything a child prints, once it has exited. */
export async function outputOf(
  child: ChildProcess,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await exitOf(child);
  return { stdout, stderr, code };
}

/** Resolves once the child prints `line`; rejects if it exits first. */
export function untilPrinted(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.split('\n').includes(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${line}": ${err}`)));
  });
}

/**
 * Holds the store and saves a premises record for each `write REF` line on stdin, printing `wrote REF`
 * once it is acknowledged; closes the store when stdin ends.
 */
export const WRITE_STORE = `
const { Store } = await import(process.env.STORE_MODULE);
const store = await Store.open(process.env.DB_PATH);
process.stdout.write('ready\\n');
let buffered = '';
process.stdin.on('data', async (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\\n');
  buffered = lines.pop();
  for (const line of lines) {
    const ref = line.replace(/^write /, '');
    await store.transact('child', (tx) => tx.insert('premises', {
      ref, name: 'Premises ' + ref, uprn: null, address: null, postcode: null, ward: null, operator: null,
      buildingType: null, hireableSpace: null, publicIt: null, risk: null, riskRationale: null,
      siteManagerEmail: null, archived: false,
    }));
    process.stdout.write('wrote ' + ref + '\\n');
  }
});
process.stdin.on('end', async () => { await store.close(); process.exit(0); });
`;
