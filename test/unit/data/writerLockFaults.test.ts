import { itemAt } from '../../../data/itemAt.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { readAuditEntries, verifyAuditChain } from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { runCli } from '../../../server/cli/cli.js';
import { exitOf, startChild, untilPrinted, WRITE_STORE } from '../../support/storeChild.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('lockfaults');
const lockModule = pathToFileURL(
  fileURLToPath(new URL('../../../data/store/writerLock.ts', import.meta.url)),
).href;

/** Takes and releases the writer lock on command (`take`, `release`), answering `won`, `lost` or `released`. */
const RACE_LOCK = `
const { WriterLock } = await import(process.env.LOCK_MODULE);
const lock = new WriterLock(process.env.DB_PATH);
let buffered = '';
process.stdout.write('ready\\n');
process.stdin.on('data', async (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\\n');
  buffered = lines.pop();
  for (const line of lines) {
    if (line === 'take') {
      try { await lock.acquire(process.env.DB_PATH); process.stdout.write('won\\n'); }
      catch (err) { process.stdout.write(err.constructor.name === 'DatabaseLockedError' ? 'lost\\n' : 'error ' + err.message + '\\n'); }
    } else if (line === 'release') { lock.release(); process.stdout.write('released\\n'); }
  }
});
process.stdin.on('end', () => process.exit(0));
`;

/** The next `count` lines a child prints. */
function nextLines(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const got: string[] = [];
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      got.push(...lines);
      if (got.length >= count) {
        child.stdout!.off('data', onData);
        resolve(got);
      }
    };
    child.stdout!.on('data', onData);
  });
}

function cliIo() {
  const io = { out: [] as string[], err: [] as string[] };
  return {
    io,
    cli: { out: (s: string) => io.out.push(s), err: (s: string) => io.err.push(s), isTty: false },
  };
}

describe('Writer lock against operators and races', () => {
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        await exitOf(child);
      }
    }
    folders.cleanUp();
  });

  it('when the lock file is deleted while the holder runs, then a CLI import exits 3, the holder puts the file back and nothing it acknowledged is lost', async () => {
    const dir = folders.make();
    const dbPath = join(dir, 'dueregard.json');
    const holder = startChild(WRITE_STORE, dbPath);
    children.push(holder);
    await untilPrinted(holder, 'ready');
    const wrote = nextLines(holder, 1);
    holder.stdin!.write('write H1\n');
    expect(await wrote).to.deep.equal(['wrote H1']);

    unlinkSync(`${dbPath}.lock`);
    const csv = join(dir, 'premises.csv');
    writeFileSync(
      csv,
      'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk,site_manager_email\nC1,Imported,,,,,,,,,,\n',
    );
    const { io, cli } = cliIo();
    const code = await runCli(['import', 'premises', csv, '--db', dbPath], { ...cli, env: {} });
    expect(code, io.err.join('\n')).to.equal(3);
    expect(io.err.join('\n')).to.include('in use by another process');

    const wroteAgain = nextLines(holder, 1);
    holder.stdin!.write('write H2\n');
    expect(await wroteAgain).to.deep.equal(['wrote H2']);
    expect(readFileSync(`${dbPath}.lock`, 'utf8'), 'the holder wrote its lock file again').to.equal(
      String(holder.pid),
    );
    holder.stdin!.end();
    expect(await exitOf(holder)).to.equal(0);

    const store = await Store.open(dbPath, { write: false });
    expect(store.list('premises').map((p) => p.ref)).to.deep.equal(['H1', 'H2']);
    expect(verifyAuditChain(await readAuditEntries(store.auditPath), store.fileHead).ok).to.equal(true);
  });

  it('when two processes find a dead holder lock at the same moment, then exactly one takes it, in each of 60 rounds', async function () {
    this.timeout(60_000);
    const dir = folders.make();
    const dbPath = join(dir, 'dueregard.json');
    const env = { LOCK_MODULE: lockModule };
    const racers = [startChild(RACE_LOCK, dbPath, env), startChild(RACE_LOCK, dbPath, env)];
    children.push(...racers);
    await Promise.all(racers.map((c) => untilPrinted(c, 'ready')));
    const dead = spawn(process.execPath, ['-e', '']);
    await exitOf(dead);
    for (let round = 0; round < 60; round++) {
      writeFileSync(`${dbPath}.lock`, String(dead.pid));
      const answers = racers.map((c) => nextLines(c, 1));
      for (const c of racers) c.stdin!.write('take\n');
      const results = (await Promise.all(answers)).map((a) => a[0]);
      expect(
        results.filter((r) => r === 'won'),
        `round ${round}: ${results.join(', ')}`,
      ).to.have.length(1);
      expect(results.filter((r) => r === 'lost')).to.have.length(1);
      const winner = itemAt(racers, results.indexOf('won'));
      expect(readFileSync(`${dbPath}.lock`, 'utf8')).to.equal(String(winner.pid));
      const released = nextLines(winner, 1);
      winner.stdin!.write('release\n');
      await released;
      expect(existsSync(`${dbPath}.lock`)).to.equal(false);
    }
  });
});
