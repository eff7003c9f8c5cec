import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendLogText } from './auditLog.js';
import { writeDurably } from './durableJsonFile.js';

/** The key file beside a database: `<db>.keys.jsonl`. */
export function keysPathFor(dbPath: string): string {
  return dbPath.replace(/\.json$/i, '') + '.keys.jsonl';
}

/**
 * One AES-256 key per data subject (a hirer, a booking's speakers), which seals that subject's personal
 * fields in the audit log. Destroying a key is how retention erases the subject from the log, whose lines
 * (and hash chain) never change: the sealed text stays, and nobody can read it.
 *
 * The file is append-only while the server runs: a line `{"s":subject,"k":base64}` per new key, synced
 * before any log entry sealed with it (see `flush`). Destroying keys rewrites it whole, atomically.
 */
export class SubjectKeys {
  private readonly keys = new Map<string, Buffer>();
  /** Keys made since the last flush (or `takeNew`): not stored yet. */
  private pending: { s: string; k: Buffer }[] = [];
  private chain: Promise<void> = Promise.resolve();

  private constructor(readonly path: string | null) {}

  /** Keys of the database at `dbPath` (none yet when there is no key file). */
  static load(dbPath: string): SubjectKeys {
    const keys = new SubjectKeys(keysPathFor(dbPath));
    const path = keysPathFor(dbPath);
    if (!existsSync(path)) return keys;
    keys.read(readFileSync(path, 'utf8'));
    return keys;
  }

  /** Keys held in memory only (an in-memory store, a test). */
  static inMemory(text = ''): SubjectKeys {
    const keys = new SubjectKeys(null);
    keys.read(text);
    return keys;
  }

  private read(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed: { s?: unknown; k?: unknown };
      try {
        parsed = JSON.parse(line);
      } catch {
        // A torn last line: its key was never used (entries sealed with it are written after the sync).
        continue;
      }
      if (typeof parsed.s === 'string' && typeof parsed.k === 'string')
        this.keys.set(parsed.s, Buffer.from(parsed.k, 'base64'));
    }
  }

  get size(): number {
    return this.keys.size;
  }

  get(subject: string): Buffer | null {
    return this.keys.get(subject) ?? null;
  }

  has(subject: string): boolean {
    return this.keys.has(subject);
  }

  subjects(): string[] {
    return [...this.keys.keys()];
  }

  /** The subject's key, made now if it has none (written to disk by the next `flush`). */
  keyFor(subject: string): Buffer {
    let key = this.keys.get(subject);
    if (!key) {
      key = randomBytes(32);
      this.keys.set(subject, key);
      this.pending.push({ s: subject, k: key });
    }
    return key;
  }

  /** Appends and syncs the keys made since the last flush; callers await it before writing what they sealed. */
  flush(): Promise<void> {
    if (this.pending.length === 0 || !this.path) {
      this.pending = [];
      return this.chain;
    }
    const text = this.pending.map(({ s, k }) => lineOf(s, k)).join('');
    this.pending = [];
    const path = this.path;
    this.chain = this.chain.catch(() => {}).then(() => appendLogText(path, text, 0o600));
    return this.chain;
  }

  /** Every key as the key file's text (for a backup, or a rewrite). */
  text(): string {
    let out = '';
    for (const [s, k] of this.keys) out += lineOf(s, k);
    return out;
  }

  /**
   * For a backend that stores keys itself (PostgreSQL, in the transaction whose entries they seal): the
   * keys made since the last call, base64, no longer pending.
   */
  takeNew(): { subject: string; key: string }[] {
    const out = this.pending.map(({ s, k }) => ({ subject: s, key: k.toString('base64') }));
    this.pending = [];
    return out;
  }

  /** Forgets keys that were never stored (their transaction failed), so nothing is sealed with them. */
  forget(subjects: Iterable<string>): void {
    for (const s of subjects) this.keys.delete(s);
  }

  /** Takes a key stored by another instance (base64). */
  adopt(subject: string, key: string): void {
    this.keys.set(subject, Buffer.from(key, 'base64'));
  }

  /**
   * Destroys the keys of these subjects: the file is rewritten without them (atomically, synced) before
   * they leave memory, so a crash leaves either every key or none of the destroyed ones. Returns how many
   * keys existed and were destroyed.
   */
  async destroy(subjects: Iterable<string>): Promise<number> {
    const doomed = [...new Set(subjects)].filter((s) => this.keys.has(s));
    if (doomed.length === 0) return 0;
    const run = this.chain
      .catch(() => {})
      .then(async () => {
        // The rewrite holds every key in memory, so keys made since the last flush are written by it too.
        this.pending = [];
        const kept = new Map(this.keys);
        for (const s of doomed) kept.delete(s);
        let text = '';
        for (const [s, k] of kept) text += lineOf(s, k);
        if (this.path) await writeDurably(this.path, text, 0o600);
        for (const s of doomed) this.keys.delete(s);
      });
    this.chain = run;
    await run;
    return doomed.length;
  }
}

function lineOf(subject: string, key: Buffer): string {
  return `${JSON.stringify({ s: subject, k: key.toString('base64') })}\n`;
}
