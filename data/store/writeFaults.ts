/** What a write was doing when a fault was injected: appending to a log, writing a whole file, truncating. */
export type WriteKind = 'append' | 'write' | 'truncate';
type Fault = (path: string, kind: WriteKind) => NodeJS.ErrnoException | null;

let fault: Fault | null = null;

/**
 * A seam for tests: makes the store's own file writes fail as a full or read-only disk makes them fail,
 * where no small file system can be mounted. Unset (always, outside tests) it costs one comparison.
 */
export const writeFaults = {
  inject(f: Fault | null): void {
    fault = f;
  },
  check(path: string, kind: WriteKind): NodeJS.ErrnoException | null {
    return fault === null ? null : fault(path, kind);
  },
};

/** An error as the system gives it (e.g. ENOSPC, "no space left on device"). */
export function systemError(code: string, message: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${message}, write '${path}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.path = path;
  return err;
}
