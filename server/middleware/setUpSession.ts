import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SessionData } from 'express-session';
import type { PgPool } from '../../data/pg/pgPool.js';
import { readCookie } from './cookies.js';
import {
  createPgSessionStore,
  kept,
  MemorySessionStore,
  type SessionBackend,
  type SessionLimits,
  type SessionRead,
  ACTIVITY_STEP_MS,
  sessionExpired,
} from './sessionStores.js';

export interface SessionOptions {
  secret: string;
  secure: boolean;
  idleTimeoutMinutes: number;
  /** A signed-in session ends this long after sign-in, however active (default 12 hours). */
  absoluteTimeoutMinutes?: number;
  /** Sessions of visitors not signed in held at most (default 10,000); the oldest are dropped first. */
  maxAnonymous?: number;
  /** The app's clock (the store's; tests inject it). */
  now?: () => number;
  /** With a PostgreSQL pool, sessions are kept there and shared by every instance; else in memory. */
  pool?: PgPool | null;
  log?: (...args: unknown[]) => void;
}

/** The session of a request: what this app keeps in it (server/expressTypes.ts). */
export type AppSession = Request['session'];

const MAX_ANONYMOUS = 10_000;
/** Signatures of session ids checked and remembered (a cache; emptied when full). */
const MAX_SIGNATURES = 20_000;

/**
 * Where a request's session stands, on the request itself (a field cheaper than a WeakMap entry, and one the
 * app server's requests start with: server/requestShapes.ts).
 */
export const SESSION_STATE = Symbol('session state');
type StatefulRequest = Request & { [SESSION_STATE]?: SessionState };

/** A request's session state at its start: the cookie's id, the id stored under (if any) and what was loaded. */
const stateFor = (cookieId: string | null, id: string | null, loaded: string): SessionState => ({
  cookieId,
  id,
  loaded,
  ended: false,
  settled: false,
  headersWatched: false,
});

/** Where a request's session stands. */
interface SessionState {
  /** The id the request's cookie carries, its signature checked; null without a good one. */
  cookieId: string | null;
  /** The id the session is stored under; null while it has none (new, after regenerate or time-out). */
  id: string | null;
  /** The session as it came from the store (JSON), to tell whether the request changed it. */
  loaded: string;
  /** Signed out during the request: nothing is saved and no cookie set. */
  ended: boolean;
  /** The lazy rule (settle) has run: at the answer's headers or its end, whichever came first. */
  settled: boolean;
  /** The answer's headers are watched (watchHeaders). */
  headersWatched: boolean;
}

/**
 * Server-side sessions: a random id in a signed, HttpOnly, SameSite=Lax cookie (`__Host-` and Secure when
 * the service is https), the data in a store — this process's memory, or PostgreSQL through
 * connect-pg-simple, shared by every instance (server/middleware/sessionStores.ts).
 * - lazy: a visitor's new session is kept (and a cookie set) only if the answer needs it — a page that may
 *   hold a form (2xx: it carries the CSRF token) or something put in it (a message, a sign-in, data for the
 *   next page). A redirect to sign in, a 404 or a refusal keeps nothing, so cookie-less floods store nothing;
 * - saved only when the request changed it (compared with what was loaded), before the answer ends, so the
 *   browser never has a page before its session is stored;
 * - idle and absolute timeouts on the app's clock, checked on every request;
 * - a new id at sign-in (`regenerate`, against session fixation); signing out removes it from the store;
 * - bearer-token API requests get a throwaway session: never stored, no cookie.
 *
 * The request's part is written here rather than taken from express-session (which did it until issue 19's
 * page-speed work): express-session computed an HMAC and three SHA-1 digests of every request's session to
 * learn what this layer learns from a remembered signature and one string comparison, and that work alone
 * took the dashboard below SPEC §9's half of bare Express. The cookie keeps express-session's format
 * (`s:` + id + `.` + HMAC-SHA256, as cookie-signature makes it), so sessions carry over; the stores are
 * express-session stores (connect-pg-simple on PostgreSQL).
 */
export function createSessions(opts: SessionOptions) {
  const now = opts.now ?? Date.now;
  const limits: SessionLimits = {
    idleTimeoutMinutes: opts.idleTimeoutMinutes,
    absoluteTimeoutMinutes: opts.absoluteTimeoutMinutes ?? 12 * 60,
  };
  const maxAnonymous = opts.maxAnonymous ?? MAX_ANONYMOUS;
  const log = opts.log ?? console.error;
  const store: SessionBackend = opts.pool
    ? createPgSessionStore(opts.pool, {
        // A little beyond the idle timeout: the app ends sessions itself; the row's expiry is for pruning.
        ttlSeconds: (limits.idleTimeoutMinutes + 5) * 60,
        pruneSeconds: 5 * 60,
        maxAnonymous,
        log,
        limits,
        now,
      })
    : new MemorySessionStore({ ...limits, maxAnonymous }, now);
  const cookieName = opts.secure ? '__Host-dueregard' : 'dueregard';
  const cookie = { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/' } as const;
  const cookieAttributes = `; Path=/; HttpOnly${opts.secure ? '; Secure' : ''}; SameSite=Lax`;

  /** `id.signature` (cookie-signature's form: HMAC-SHA256 of the id under the secret, base64, unpadded). */
  const signed = (id: string) =>
    `${id}.${createHmac('sha256', opts.secret).update(id).digest('base64').replace(/=+$/, '')}`;
  /** Each id's signed form once made, as bytes for the constant-time comparison. */
  const signatures = new Map<string, Buffer>();

  /** The session id in the request's cookie if its signature is good (compared in constant time), else null. */
  function cookieIdOf(req: Request): string | null {
    const value = readCookie(req.headers.cookie, cookieName);
    if (!value?.startsWith('s:')) return null;
    const given = value.slice(2);
    const dot = given.lastIndexOf('.');
    if (dot < 1 || given.length > 200) return null;
    const id = given.slice(0, dot);
    const remembered = signatures.get(id);
    const expected = remembered ?? Buffer.from(signed(id));
    const actual = Buffer.from(given);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    if (!remembered) {
      if (signatures.size >= MAX_SIGNATURES) signatures.clear();
      signatures.set(id, expected);
    }
    return id;
  }

  /** Keeps a session never kept before if the answer needs it, else leaves it unsaved (see above). */
  function settle(req: Request, state: SessionState, status: number): void {
    state.settled = true;
    const s = req.session as AppSession;
    if (state.ended || s.lastSeen !== undefined) return;
    const holdsSomething = Object.keys(s).some((k) => k !== 'cookie' && k !== 'csrfToken');
    if (status < 300 || holdsSomething) {
      s.createdAt = now();
      s.lastSeen = s.createdAt;
    } else {
      // Its CSRF token was made for this answer only: without it the session is as new, and not saved.
      delete s.csrfToken;
    }
  }

  /** At the answer's headers: the lazy rule, then the cookie of a kept session stored under a new id. */
  function beforeHeaders(req: Request, res: Response, state: SessionState, status: number): void {
    if (!state.settled) settle(req, state, status);
    if (state.ended || !kept(req.session) || (state.id !== null && state.id === state.cookieId)) return;
    state.id ??= randomBytes(24).toString('base64url');
    res.append(
      'Set-Cookie',
      `${cookieName}=${encodeURIComponent(`s:${signed(state.id)}`)}${cookieAttributes}`,
    );
  }

  /**
   * Watches the answer's end: the session is saved if the request changed it (or it is new), and only then
   * the end sent.
   */
  function watchEnd(req: Request, res: Response, state: SessionState): void {
    const end = res.end;
    res.end = ((...args: Parameters<Response['end']>) => {
      if (!res.headersSent) beforeHeaders(req, res, state, res.statusCode);
      const s = req.session;
      if (state.ended || state.id === null || !kept(s)) return end.apply(res, args);
      const json = JSON.stringify(s);
      if (state.id === state.cookieId && json === state.loaded) return end.apply(res, args);
      state.loaded = json;
      store.set(state.id, s as SessionData, (err?: unknown) => {
        if (err) log('Could not save a session:', err);
        end.apply(res, args);
      });
      return res;
    }) as Response['end'];
  }

  /**
   * Watches the answer's headers, for a session that may need its cookie set or the lazy rule: one not yet
   * stored under the cookie's id (new, regenerated, timed out). A kept session under its cookie's id needs
   * neither, so a signed-in officer's request pays for no wrapping here.
   */
  function watchHeaders(req: Request, res: Response, state: SessionState): void {
    if (state.headersWatched) return;
    state.headersWatched = true;
    const writeHead = res.writeHead;
    res.writeHead = ((...args: Parameters<Response['writeHead']>) => {
      beforeHeaders(req, res, state, typeof args[0] === 'number' ? args[0] : res.statusCode);
      return writeHead.apply(res, args);
    }) as Response['writeHead'];
  }

  /** The request's session from the store (or a new one), its timeouts applied, then watched. */
  function begin(
    req: Request,
    res: Response,
    state: SessionState,
    data: AppSession | null,
    next: NextFunction,
  ) {
    (req as StatefulRequest)[SESSION_STATE] = state;
    req.session = data ?? ({} as AppSession);
    const s = req.session;
    const t = now();
    if (state.id !== null && sessionExpired(s, t, limits)) {
      // Ended: removed from the store, and the visitor carries on with a new, empty session.
      const old = state.id;
      state.id = null;
      state.loaded = '';
      req.session = {} as AppSession;
      watchEnd(req, res, state);
      watchHeaders(req, res, state);
      return store.destroy(old, (err?: unknown) => next(err));
    }
    if (s.lastSeen !== undefined && t - s.lastSeen >= ACTIVITY_STEP_MS) s.lastSeen = t;
    watchEnd(req, res, state);
    if (state.id === null || s.lastSeen === undefined) watchHeaders(req, res, state);
    next();
  }

  const middleware: RequestHandler[] = [
    (req, res, next) => {
      if (req.apiToken) {
        // A token request keeps no session: a throwaway one, never stored, no cookie.
        req.session = {} as AppSession;
        return next();
      }
      const cookieId = cookieIdOf(req);
      if (cookieId === null) return begin(req, res, stateFor(null, null, ''), null, next);
      const loaded: SessionRead = (err, data, json) => {
        if (err) return next(err);
        const state = data
          ? stateFor(cookieId, cookieId, json ?? JSON.stringify(data))
          : stateFor(cookieId, null, '');
        begin(req, res, state, (data as AppSession | null | undefined) ?? null, next);
      };
      // A request that changes nothing may read an instance's recent copy (PostgreSQL; see getToRead).
      if (store.getToRead && (req.method === 'GET' || req.method === 'HEAD'))
        store.getToRead(cookieId, loaded);
      else store.get(cookieId, loaded);
    },
  ];

  /** The request's session state (a request that went through the middleware, not an API token's). */
  function stateOf(req: Request): SessionState {
    const state = (req as StatefulRequest)[SESSION_STATE];
    if (!state) throw new Error('This request has no session of its own');
    return state;
  }

  const destroyStored = (id: string | null) =>
    new Promise<void>((resolve, reject) =>
      id === null ? resolve() : store.destroy(id, (err?: unknown) => (err ? reject(err) : resolve())),
    );

  return {
    store,
    cookieName,
    now,
    middleware: () => middleware,

    /**
     * A new session id for the same visitor (at sign-in, against session fixation; after "sign out
     * everywhere"): the old session is removed from the store; a message for the next page is carried over.
     */
    async regenerate(req: Request): Promise<AppSession> {
      const state = stateOf(req);
      const flash = req.session.flash;
      const old = state.id;
      state.id = null;
      state.loaded = '';
      state.settled = false;
      req.session = {} as AppSession;
      if (req.res) watchHeaders(req, req.res, state);
      await destroyStored(old);
      if (flash) req.session.flash = flash;
      return req.session;
    },

    /** Signs this session out: removed from the store, the cookie cleared (with its Secure attribute). */
    async destroy(req: Request, res: Response): Promise<void> {
      const state = stateOf(req);
      res.clearCookie(cookieName, cookie);
      state.ended = true;
      const old = state.id;
      state.id = null;
      req.session = {} as AppSession;
      await destroyStored(old);
    },

    /** Ends every session of a user, on every instance sharing the store. */
    destroyAllFor: (userId: string) => store.destroyAllFor(userId),
    count: () => store.count(),
    prune: () => store.prune(),
    close: () => store.close(),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
