import { existsSync, readFileSync } from 'node:fs';
import { writeDurably } from '../data/store/durableJsonFile.js';
import { type ReminderLogEntry, reminderLogPathFor } from '../data/store/reminderLog.js';

/** Whole lines of the text (a line being appended meanwhile, without its newline yet, is left out). */
function wholeLines(text: string): string[] {
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/**
 * The reminder log's entries for a backup: what was sent is part of the database's state, so a restore
 * anywhere knows not to send it again. A line that does not parse is left out, as the log itself ignores it.
 */
export function reminderLogForBackup(dbPath: string): ReminderLogEntry[] {
  const path = reminderLogPathFor(dbPath);
  if (!existsSync(path)) return [];
  const out: ReminderLogEntry[] = [];
  for (const line of wholeLines(readFileSync(path, 'utf8'))) {
    try {
      const entry = JSON.parse(line) as unknown;
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) out.push(entry as ReminderLogEntry);
    } catch {
      // A damaged line marks nothing as sent (see ReminderLog.open).
    }
  }
  return out;
}

/**
 * Puts a backup's reminder log back beside the restored database. An email once sent stays sent, so the
 * lines already there are kept and the backup's are added where missing: a restore never makes a reminder
 * go out twice, whichever is older.
 */
export async function restoreReminderLog(dbPath: string, entries: readonly unknown[]): Promise<number> {
  const path = reminderLogPathFor(dbPath);
  const kept = existsSync(path) ? wholeLines(readFileSync(path, 'utf8')) : [];
  const seen = new Set(kept);
  const added = entries.map((e) => JSON.stringify(e)).filter((line) => !seen.has(line));
  if (added.length === 0) return 0;
  await writeDurably(path, `${[...kept, ...added].join('\n')}\n`, 0o600);
  return added.length;
}
