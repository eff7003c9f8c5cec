import { randomUUID } from 'node:crypto';
import connectPgSimple from 'connect-pg-simple';
import session, { type SessionData } from 'express-session';
import { PgListener } from '../../data/pg/pgListener.js';
import type { PgPool } from '../../data/pg/pgPool.js';

/** When a session ends, whatever store holds it. */
export interface SessionLimits {
  idleTimeoutMinutes: number;
  /** A signed-in session ends this long after sign-in, however active. */
  absoluteTimeoutMinutes: number;
}

/** Activity moves a session's "last seen" on at most once a minute, so a busy session is not saved per request. */
export const ACTIVITY_STEP_MS = 60_000;

/**
 * A session a request that changes nothing can be given from an instance's recent copy: its activity was
 * noted within the last minute (so this request will not save it again), it has no message waiting and has
 * its CSRF token. Anything else reads the row: no session is ended, or saved over another instance's newer
 * change, on the strength of a copy.
 */
function quiet(s: Partial<SessionData>, now: number): boolean {
  return (
    s.lastSeen !== undefined &&
    now - s.lastSeen < ACTIVITY_STEP_MS &&
    s.flash === undefined &&
    typeof s.csrfToken === 'string'
  );
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
  /**
   * A session for a request that changes nothing (GET, HEAD), from this instance's recent copy when it has
   * one that is quiet (see `quiet`): at most a second old, and dropped as soon as another instance says the
   * session changed. A store without it reads `get`.
   */
  getToRead?(sid: string, cb: SessionRead): void;
}

/** What a store hands back for a request: the session (or none), and its JSON when the store holds that. */
export type SessionRead = (err: unknown, s?: SessionData | null, json?: string) => void;

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
    this.getToRead(sid, cb);
  }

  /** As `get`, with the session's JSON too (so the request need not make it again to see what it changed). */
  getToRead(sid: string, cb: SessionRead): void {
    const h = this.held.get(sid);
    if (h && sessionExpired(h, this.now(), this.limits)) this.forget(sid);
    if (h && this.held.has(sid)) cb(null, JSON.parse(h.json) as SessionData, h.json);
    else cb(null, null);
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
 * Channel on which instances say a session changed or ended (payload: the instance's name, a space, then the
 * session's id or `user:` + a user's id).
 */
const SESSION_CHANNEL = 'dueregard_sessions';
/** Recent sessions an instance keeps for reading (emptied when full; each is at most a second old anyway). */
const RECENT_SESSIONS = 10_000;

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
    /**
     * Sessions this instance read or saved lately, as JSON, for requests that change nothing (getToRead).
     * Emptied every second and whenever the listening connection is lost, and an entry dropped when any
     * instance says its session changed or ended (NOTIFY on SESSION_CHANNEL); bounded.
     */
    private readonly recent = new Map<string, { json: string; userId: string | null }>();
    private readonly listener = new PgListener(
      pool.options,
      (payload) => this.heard(payload),
      1_000,
      SESSION_CHANNEL,
    );

    startListening(): void {
      this.listener.start().catch((err: unknown) => opts.log('Could not listen for session changes:', err));
    }

    /** This instance's name in its notifications, so it does not drop what it has just saved itself. */
    private readonly origin = randomUUID();

    /**
     * A notification (`origin what`) or the poll (null, forget everything). What: one session's id, or all
     * of one user's (`user:` + id).
     */
    private heard(payload: string | null): void {
      if (payload === null) {
        this.recent.clear();
        return;
      }
      const space = payload.indexOf(' ');
      if (payload.slice(0, space) !== this.origin) this.forget(payload.slice(space + 1));
    }

    private forget(what: string): void {
      if (what.startsWith('user:')) {
        const userId = what.slice('user:'.length);
        for (const [sid, r] of this.recent) if (r.userId === userId) this.recent.delete(sid);
      } else this.recent.delete(what);
    }

    private remember(sid: string, s: SessionData): void {
      if (this.recent.size >= RECENT_SESSIONS) this.recent.clear();
      this.recent.set(sid, { json: JSON.stringify(s), userId: s.userId ?? null });
    }

    /** Tells every instance (this one too) that a session, or all of a user's, changed. */
    private tellOthers(payload: string): Promise<unknown> {
      return pool
        .query('SELECT pg_notify($1, $2)', [SESSION_CHANNEL, `${this.origin} ${payload}`])
        .catch((err: unknown) => opts.log('Could not tell other instances of a session change:', err));
    }

    getToRead(sid: string, cb: SessionRead): void {
      const r = this.recent.get(sid);
      const s = r ? (JSON.parse(r.json) as SessionData) : null;
      if (s && r && quiet(s, opts.now())) cb(null, s, r.json);
      else this.get(sid, cb);
    }

    /** A session ended by the app's rule is removed and not handed back (as the memory store does). */
    override get(sid: string, cb: (err: unknown, s?: SessionData | null) => void): void {
      super.get(sid, (err, s) => {
        if (err) return cb(err);
        if (!s) {
          this.recent.delete(sid);
          return cb(null, s);
        }
        if (!sessionExpired(s, opts.now(), opts.limits)) {
          this.remember(sid, s);
          return cb(null, s);
        }
        this.destroy(sid, (destroyErr) => cb(destroyErr ?? null, null));
      });
    }

    override destroy(sid: string, cb?: (err?: unknown) => void): void {
      this.recent.delete(sid);
      super.destroy(sid, (err?: unknown) => {
        if (err) return cb?.(err);
        this.tellOthers(sid).then(() => cb?.());
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
      const capNow = !s.userId && ++this.anonymousSaves >= capEvery;
      if (capNow) this.anonymousSaves = 0;
      this.recent.delete(sid);
      super.set(sid, s, (err?: unknown) => {
        if (err) return cb?.(err);
        this.remember(sid, s);
        const after = capNow
          ? this.capAnonymous().catch((capErr: unknown) =>
              opts.log('Could not hold anonymous sessions to their cap:', capErr),
            )
          : Promise.resolve();
        Promise.all([after, this.tellOthers(sid)]).then(() => cb?.());
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
      this.forget(`user:${userId}`);
      await this.tellOthers(`user:${userId}`);
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
      await this.listener.stop();
      // connect-pg-simple's close stops its prune timer (and returns a promise, though typed void).
      await super.close();
    }
  }
  const store = new PgSessionStore({
    pool,
    tableName: PG_SESSION_TABLE,
    createTableIfMissing: false,
    ttl: opts.ttlSeconds,
    // The app saves a session when it changes and at most once a minute for activity; no separate touch.
    disableTouch: true,
    pruneSessionInterval: opts.pruneSeconds,
    errorLog: opts.log,
  });
  store.startListening();
  return store;
}
