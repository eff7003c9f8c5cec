import connectPgSimple from 'connect-pg-simple';
import session, { type SessionData } from 'express-session';
import type { PgPool } from '../../data/pg/pgPool.js';

/** When a session ends, whatever store holds it. */
export interface SessionLimits {
  idleTimeoutMinutes: number;
  /** A signed-in session ends this long after sign-in, however active. */
  absoluteTimeoutMinutes: number;
}

/** Idle longer than the idle timeout (signed in or not), or signed in longer than the absolute limit. */
export function sessionExpired(s: Partial<SessionData>, now: number, limits: SessionLimits): boolean {
  if (s.lastSeen === undefined) return false;
  if (now - s.lastSeen > limits.idleTimeoutMinutes * 60_000) return true;
  return Boolean(s.userId) && now - (s.createdAt ?? s.lastSeen) > limits.absoluteTimeoutMinutes * 60_000;
}

/**
 * Whether the app kept this session (it stamps "last seen" when it does). One it did not keep is never
 * stored, whatever express-session asks (it saves a session whose id changed, e.g. a new one for a visitor
 * whose session had timed out, even when nothing is in it).
 */
export function kept(s: Partial<SessionData>): boolean {
  return s.lastSeen !== undefined;
}

/** What the app asks of a session store beyond express-session's own interface. */
export interface SessionBackend extends session.Store {
  /** Ends every session of a user ("sign out everywhere", a new password, deactivation). */
  destroyAllFor(userId: string): Promise<number>;
  /** Sessions held (for the tests of the sweep and the anonymous cap, and the bench). */
  count(): Promise<number>;
  /** Drops expired sessions now (each store also does it on its own as it goes). */
  prune(): Promise<void>;
  close(): Promise<void>;
}

/** Expired sessions are swept out every this many saves, so anonymous visits cannot fill memory. */
const SWEEP_EVERY = 500;

interface Held {
  json: string;
  userId: string | null;
  lastSeen: number | undefined;
  createdAt: number | undefined;
}

/**
 * Sessions in this process's memory (the file store's one-machine setup): a restart signs everyone out.
 * Bounded: sessions of visitors not signed in are held at most `maxAnonymous`, the oldest dropped first,
 * so a flood of new visitors holds a bounded amount of memory and never pushes out a signed-in session;
 * expired sessions are swept every few hundred saves. Each request gets its own copy (stored as JSON).
 */
export class MemorySessionStore extends session.Store implements SessionBackend {
  private readonly held = new Map<string, Held>();
  /** Ids of anonymous sessions, oldest first. */
  private readonly anonymous = new Set<string>();
  private savesSinceSweep = 0;

  constructor(
    private readonly limits: SessionLimits & { maxAnonymous: number },
    private readonly now: () => number,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, s?: SessionData | null) => void): void {
    const h = this.held.get(sid);
    if (h && sessionExpired(h, this.now(), this.limits)) this.forget(sid);
    const live = h && this.held.has(sid) ? (JSON.parse(h.json) as SessionData) : null;
    cb(null, live);
  }

  override set(sid: string, s: SessionData, cb?: (err?: unknown) => void): void {
    if (!kept(s)) {
      this.destroy(sid, cb);
      return;
    }
    if (++this.savesSinceSweep >= SWEEP_EVERY) this.sweep();
    const userId = s.userId ?? null;
    this.held.set(sid, { json: JSON.stringify(s), userId, lastSeen: s.lastSeen, createdAt: s.createdAt });
    if (userId) this.anonymous.delete(sid);
    else this.anonymous.add(sid);
    for (const id of this.anonymous) {
      if (this.anonymous.size <= this.limits.maxAnonymous) break;
      this.forget(id);
    }
    cb?.();
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.forget(sid);
    cb?.();
  }

  private forget(sid: string): void {
    this.held.delete(sid);
    this.anonymous.delete(sid);
  }

  /** Drops every expired session. */
  sweep(): void {
    this.savesSinceSweep = 0;
    const now = this.now();
    for (const [sid, h] of this.held) if (sessionExpired(h, now, this.limits)) this.forget(sid);
  }

  async destroyAllFor(userId: string): Promise<number> {
    let n = 0;
    for (const [sid, h] of this.held) {
      if (h.userId !== userId) continue;
      this.forget(sid);
      n++;
    }
    return n;
  }

  async count(): Promise<number> {
    return this.held.size;
  }

  async prune(): Promise<void> {
    this.sweep();
  }

  async close(): Promise<void> {}
}

/** The table of sessions, made by PostgreSQL schema step 300 (data/pg/migrations/300_sessions.ts). */
export const PG_SESSION_TABLE = 'sessions';

/**
 * Sessions in PostgreSQL through connect-pg-simple, shared by every instance on the database: a session
 * started on one is good on all, and one ended on one is ended on all. Rows expire `ttlSeconds` after their
 * last save and are pruned every `pruneSeconds`; the idle and absolute limits are also checked on each request
 * against the app's clock. At each prune, and every few hundred anonymous saves, the anonymous sessions
 * beyond `maxAnonymous` (the least recently used) are deleted too, so a flood of new visitors cannot grow
 * the table past the cap by more than one batch per instance.
 */
export function createPgSessionStore(
  pool: PgPool,
  opts: {
    ttlSeconds: number;
    pruneSeconds: number;
    maxAnonymous: number;
    log: (...args: unknown[]) => void;
    /** When a session ends and the app's clock: the same rule as the memory store, so both end sessions alike. */
    limits: SessionLimits;
    now: () => number;
  },
): SessionBackend {
  const PGStore = connectPgSimple(session);
  // Anonymous saves between two holds to the cap: the table holds at most the cap and this many per instance.
  const capEvery = Math.max(100, Math.ceil(opts.maxAnonymous / 20));
  class PgSessionStore extends PGStore implements SessionBackend {
    /** A session ended by the app's rule is removed and not handed back (as the memory store does). */
    override get(sid: string, cb: (err: unknown, s?: SessionData | null) => void): void {
      super.get(sid, (err, s) => {
        if (err || !s || !sessionExpired(s, opts.now(), opts.limits)) return cb(err, s);
        this.destroy(sid, (destroyErr) => cb(destroyErr ?? null, null));
      });
    }

    /** Anonymous sessions saved by this instance since it last held them to the cap. */
    private anonymousSaves = 0;

    /**
     * Saves a kept session. Every `capEvery` saves of anonymous sessions the table is held to the cap
     * there and then (before the answer goes), so a flood of new visitors cannot outgrow it between prunes.
     */
    override set(sid: string, s: SessionData, cb?: (err?: unknown) => void): void {
      if (!kept(s)) {
        this.destroy(sid, cb);
        return;
      }
      if (s.userId || ++this.anonymousSaves < capEvery) {
        super.set(sid, s, cb);
        return;
      }
      this.anonymousSaves = 0;
      super.set(sid, s, (err?: unknown) => {
        if (err) return cb?.(err);
        this.capAnonymous().then(
          () => cb?.(),
          (capErr: unknown) => {
            opts.log('Could not hold anonymous sessions to their cap:', capErr);
            cb?.();
          },
        );
      });
    }

    /** connect-pg-simple's prune of expired rows (on its timer), then the app's rule and the cap on anonymous sessions. */
    override pruneSessions(fn?: (err: Error) => void): void {
      super.pruneSessions(fn);
      this.pruneByAppRule()
        .then(() => this.capAnonymous())
        .catch((err: unknown) => opts.log('Could not prune sessions:', err));
    }

    /** Sessions ended by the app's idle and absolute limits on its own clock (the rows' expiry uses the real one). */
    private async pruneByAppRule(): Promise<void> {
      const now = opts.now();
      await pool.query(
        `DELETE FROM ${PG_SESSION_TABLE}
           WHERE (sess ->> 'lastSeen')::bigint < $1
              OR (user_id IS NOT NULL AND COALESCE(sess ->> 'createdAt', sess ->> 'lastSeen')::bigint < $2)`,
        [now - opts.limits.idleTimeoutMinutes * 60_000, now - opts.limits.absoluteTimeoutMinutes * 60_000],
      );
    }

    private async capAnonymous(): Promise<void> {
      await pool.query(
        `DELETE FROM ${PG_SESSION_TABLE} WHERE sid IN (SELECT sid FROM ${PG_SESSION_TABLE}
           WHERE user_id IS NULL ORDER BY expire DESC OFFSET $1)`,
        [opts.maxAnonymous],
      );
    }

    async destroyAllFor(userId: string): Promise<number> {
      const r = await pool.query(`DELETE FROM ${PG_SESSION_TABLE} WHERE user_id = $1`, [userId]);
      return r.rowCount ?? 0;
    }

    async count(): Promise<number> {
      const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${PG_SESSION_TABLE}`);
      return Number(r.rows[0]?.n ?? 0);
    }

    async prune(): Promise<void> {
      await new Promise<void>((resolve, reject) =>
        super.pruneSessions((err) => (err ? reject(err) : resolve())),
      );
      await this.pruneByAppRule();
      await this.capAnonymous();
    }

    override async close(): Promise<void> {
      // connect-pg-simple's close stops its prune timer (and returns a promise, though typed void).
      await super.close();
    }
  }
  return new PgSessionStore({
    pool,
    tableName: PG_SESSION_TABLE,
    createTableIfMissing: false,
    ttl: opts.ttlSeconds,
    // The app saves a session when it changes and at most once a minute for activity; no separate touch.
    disableTouch: true,
    pruneSessionInterval: opts.pruneSeconds,
    errorLog: opts.log,
  });
}
