import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';

export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    /** 0 when the holder is not known (its lock file was removed while it runs). */
    readonly holderPid: number,
  ) {
    super(
      `The database ${dbPath} is in use by another process (${holderPid ? `pid ${holderPid}` : 'its lock file was removed, but it still runs'}), probably the running server. ` +
        'Stop it, or run this command through the web app.',
    );
  }
}

/** Lock files this process holds: the pid in the file cannot tell two stores in one process apart. */
const heldHere = new Set<string>();

/** Whether a process with this pid runs (one we may not signal still runs). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Linux's abstract socket names live in the kernel, not on disk: no clean-up script can delete one, and
 * the kernel frees it the moment its holder dies, however it dies. Binding one is the lock; the name is
 * the database's real path, hashed to fit.
 */
function socketNameFor(dbPath: string): string {
  const real = join(realpathSync(dirname(resolve(dbPath))), basename(dbPath));
  return `\0dueregard-writer-${createHash('sha256').update(real).digest('hex')}`;
}

function bind(name: string): Promise<Server | null> {
  return new Promise((done, fail) => {
    // Nothing is ever served: a connection (there should be none) is closed at once.
    const server = createServer((socket) => socket.destroy());
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? done(null) : fail(err),
    );
    server.listen(name, () => {
      server.unref();
      done(server);
    });
  });
}

/**
 * One writer process per database. On Linux the lock is an abstract socket bound under the database's
 * name (see socketNameFor), so deleting files cannot let a second writer in, and a dead holder's lock is
 * free the instant it dies: taking it over is one atomic bind, whoever asks first. The lock file beside the
 * database names the holder's pid for messages and for older versions, and the holder puts it back if it
 * goes missing (`verify`). Elsewhere the lock file alone is the lock (created exclusively; a dead
 * holder's is removed and created again).
 */
export class WriterLock {
  private held = false;
  private socket: Server | null = null;
  readonly path: string;

  constructor(dbPath: string) {
    this.path = resolve(`${dbPath}.lock`);
  }

  async acquire(dbPath: string): Promise<void> {
    if (heldHere.has(this.path)) throw new DatabaseLockedError(dbPath, process.pid);
    if (process.platform !== 'linux') return this.acquireByFile(dbPath);
    const socket = await bind(socketNameFor(dbPath));
    if (!socket) throw new DatabaseLockedError(dbPath, this.readHolder() ?? 0);
    // A live holder named in the file but without the socket: a version before this lock. It wins.
    const holder = this.readHolder();
    if (holder !== null && holder !== process.pid && processIsAlive(holder)) {
      socket.close();
      throw new DatabaseLockedError(dbPath, holder);
    }
    this.socket = socket;
    this.writeFile();
    this.taken();
  }

  /** Puts the lock file back if it was removed or overwritten meanwhile (the socket is still ours). */
  verify(): void {
    if (!this.held || !this.socket) return;
    if (this.readHolder() !== process.pid) this.writeFile();
  }

  /** The file names this process, written whole (temp and rename), so a reader never sees half a pid. */
  private writeFile(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, String(process.pid));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }

  private acquireByFile(dbPath: string): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.path, 'wx', 0o600);
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
      if (holder !== null && processIsAlive(holder)) throw new DatabaseLockedError(dbPath, holder);
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
    // The file goes first, while the socket still keeps others out: a new holder's file is never removed.
    if (this.readHolder() === process.pid) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
    this.socket?.close();
    this.socket = null;
  }
}
