import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp folder; `cleanUp` removes every folder made so far. */
export function tempFolders(prefix: string) {
  const made: string[] = [];
  return {
    make(): string {
      const folder = mkdtempSync(join(tmpdir(), `dueregard-${prefix}-`));
      made.push(folder);
      return folder;
    },
    cleanUp(): void {
      for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
  };
}
