import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { PgPool } from '../../data/pg/pgPool.js';
import {
  createPgSessionStore,
  MemorySessionStore,
  type SessionBackend,
  type SessionLimits,
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

/** The session of a request: express-session's, with what this app keeps in it (server/expressTypes.ts). */
export type AppSession = Request['session'];

const MAX_ANONYMOUS = 10_000;
/** Activity moves a session's "last seen" on at most once a minute, so a busy session is not saved per request. */
const ACTIVITY_STEP_MS = 60_000;

/**
 * Server-side sessions from express-session: a random id in a signed, HttpOnly, SameSite=Lax cookie
 * (`__Host-` and Secure when the service is https), the data in a store — this process's memory, or
 * PostgreSQL shared by every instance. On top of the library:
 * - lazy: a visitor's new session is kept (and a cookie set) only if the answer needs it — a page that may
 *   hold a form (2xx: it carries the CSRF token) or something put in it (a message, a sign-in, data for the
 *   next page). A redirect to sign in, a 404 or a refusal keeps nothing, so cookie-less floods store nothing;
 * - idle and absolute timeouts on the app's clock, checked on every request;
 * - bearer-token API requests get a throwaway session: never stored, no cookie.
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
  const library = session({
    name: cookieName,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie,
  });

  /** Keeps a session never kept before if the answer needs it, else leaves it unsaved (see above). */
  function settle(req: Request, status: number): void {
    const s = req.session as AppSession | undefined;
    if (!s || s.lastSeen !== undefined) return;
    const holdsSomething = Object.keys(s).some((k) => k !== 'cookie' && k !== 'csrfToken');
    if (status < 300 || holdsSomething) {
      s.createdAt = now();
      s.lastSeen = s.createdAt;
    } else {
      // Its CSRF token was made for this answer only: without it the session is as new, and not saved.
      delete s.csrfToken;
    }
  }

  /** Requests whose answer runs `settle` (see settleBeforeSaving). */
  const settling = new WeakSet<Request>();

  /**
   * Runs `settle` once, before express-session decides on saving (at `end`) or on the cookie (at the
   * headers). Only for a session not yet kept: one kept stays kept, so a signed-in visitor's request pays
   * for no wrapping (a session made anew during the request, at sign-in, is wrapped by `regenerate`).
   */
  function settleBeforeSaving(req: Request, res: Response): void {
    if (req.session?.lastSeen !== undefined || settling.has(req)) return;
    settling.add(req);
    let settled = false;
    const once = (status: number) => {
      if (settled) return;
      settled = true;
      settle(req, status);
    };
    const end = res.end;
    res.end = ((...args: Parameters<Response['end']>) => {
      once(res.statusCode);
      return end.apply(res, args);
    }) as Response['end'];
    const writeHead = res.writeHead;
    res.writeHead = ((...args: Parameters<Response['writeHead']>) => {
      once(typeof args[0] === 'number' ? args[0] : res.statusCode);
      return writeHead.apply(res, args);
    }) as Response['writeHead'];
  }

  const timeouts = (req: Request, res: Response, next: NextFunction) => {
    const s = req.session;
    const t = now();
    if (s.lastSeen !== undefined && sessionExpired(s, t, limits)) {
      // Ended: removed from the store, and the visitor carries on with a new, empty session.
      return s.regenerate((err) => {
        settleBeforeSaving(req, res);
        next(err);
      });
    }
    if (s.lastSeen !== undefined && t - s.lastSeen >= ACTIVITY_STEP_MS) s.lastSeen = t;
    settleBeforeSaving(req, res);
    next();
  };

  const middleware: RequestHandler[] = [
    (req, res, next) => {
      if (req.apiToken) {
        // A token request keeps no session: a throwaway one, never stored, no cookie.
        // Without express-session's methods: nothing on an API token request saves or ends a session.
        req.sessionID = '';
        req.session = { cookie: new session.Cookie() } as AppSession;
        return next();
      }
      // The service is https when its BASE_URL is, wherever TLS ends: the cookie is Secure (and __Host-)
      // then, as before, even when the proxy in front does not say X-Forwarded-Proto.
      if (opts.secure && !req.secure) Object.defineProperty(req, 'secure', { value: true });
      library(req, res, (err?: unknown) => (err ? next(err) : timeouts(req, res, next)));
    },
  ];

  return {
    store,
    cookieName,
    now,
    middleware: () => middleware,

    /**
     * A new session id for the same visitor (at sign-in, against session fixation; after "sign out
     * everywhere"): the old session is removed from the store; a message for the next page is carried over.
     */
    regenerate(req: Request): Promise<AppSession> {
      const flash = req.session.flash;
      return new Promise((resolve, reject) =>
        req.session.regenerate((err) => {
          if (err) return reject(err);
          if (flash) req.session.flash = flash;
          if (req.res) settleBeforeSaving(req, req.res);
          resolve(req.session);
        }),
      );
    },

    /** Signs this session out: removed from the store, the cookie cleared (with its Secure attribute). */
    destroy(req: Request, res: Response): Promise<void> {
      res.clearCookie(cookieName, cookie);
      return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    },

    /** Ends every session of a user, on every instance sharing the store. */
    destroyAllFor: (userId: string) => store.destroyAllFor(userId),
    count: () => store.count(),
    prune: () => store.prune(),
    close: () => store.close(),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
