import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { resolve } from 'node:path';

export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    readonly holderPid: number,
  ) {
    super(
      `The database ${dbPath} is in use by another process (pid ${holderPid}), probably the running server. ` +
        'Stop it, or run this command through the web app.',
    );
  }
}

/** Lock files this process holds: the pid in the file cannot tell two stores in one process apart. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer process per database: a lock file beside it holds the writer's pid. A lock left by a
 * process that no longer exists (a crash, a SIGKILL) is taken over.
 */
export class WriterLock {
  private held = false;
  readonly path: string;

  constructor(dbPath: string) {
    this.path = resolve(`${dbPath}.lock`);
  }

  acquire(dbPath: string): void {
    if (heldHere.has(this.path)) throw new DatabaseLockedError(dbPath, process.pid);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.path, 'wx');
        writeSync(fd, String(process.pid));
        fsyncSync(fd);
        closeSync(fd);
        this.taken();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = this.readHolder();
      // Our own pid but not held here: left by an earlier process that had the same pid (a container restart).
      if (holder === process.pid) {
        this.taken();
        return;
      }
      if (holder !== null && isAlive(holder)) throw new DatabaseLockedError(dbPath, holder);
      // Stale (dead holder or unreadable): remove and try again.
      try {
        unlinkSync(this.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    throw new Error(`Could not take the lock ${this.path}; another process keeps taking it.`);
  }

  private taken(): void {
    this.held = true;
    heldHere.add(this.path);
  }

  readHolder(): number | null {
    try {
      const pid = Number.parseInt(readFileSync(this.path, 'utf8').trim(), 10);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    if (this.readHolder() === process.pid) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }
}
