import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Store } from '../../data/store/store.js';

export interface Session {
  id: string;
  userId: string | null;
  /** The user's sessionEpoch when signed in; a higher epoch on the user ends this session. */
  epoch: number;
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
  flash: { title?: string; text: string } | null;
  /** Anything a flow keeps between requests (e.g. a one-time password to show once). */
  data: Record<string, unknown>;
}

export interface SessionOptions {
  secret: string;
  secure: boolean;
  idleTimeoutMinutes: number;
  /** A signed-in session ends this long after sign-in, however active (default 12 hours). */
  absoluteTimeoutMinutes?: number;
  /** Sessions of visitors not signed in held at most (default 10,000); the oldest are dropped first. */
  maxAnonymous?: number;
  now?: () => number;
}

/** Expired sessions are swept out every this many new sessions, so anonymous visits cannot fill memory. */
const SWEEP_EVERY = 500;
/** Checked cookie signatures remembered at most (then forgotten all at once and checked again). */
const MAX_VERIFIED = 10_000;
const MAX_ANONYMOUS = 10_000;

/**
 * Server-side sessions in memory, keyed by a random id in a signed, httpOnly, SameSite=Lax cookie
 * (Secure when served over https). A restart signs everyone out, which is acceptable for this service.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private createdSinceSweep = 0;
  /** Cookie values whose signature was checked → their session id. Only holds genuine values. */
  private readonly verified = new Map<string, string>();
  /**
   * Ids of sessions created for visitors not (yet) signed in, oldest first. A flood of cookie-less
   * requests each makes one; beyond `maxAnonymous` the oldest still anonymous is dropped, so the flood
   * holds a bounded amount of memory and a signed-in session is never dropped for it.
   */
  private readonly anonymous = new Set<string>();
  readonly cookieName: string;

  constructor(private readonly opts: SessionOptions) {
    this.cookieName = opts.secure ? '__Host-dueregard' : 'dueregard';
  }

  now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private blank(): Session {
    return {
      id: randomBytes(24).toString('base64url'),
      userId: null,
      epoch: 0,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: this.now(),
      lastSeen: this.now(),
      flash: null,
      data: {},
    };
  }

  create(): Session {
    return this.keep(this.blank());
  }

  /**
   * A new visitor's session is kept when the page may hold a form (a 2xx page carries the CSRF token)
   * or something was put in it (a message, a sign-in, data for the next page).
   */
  private worthKeeping(s: Session, status: number): boolean {
    return status < 300 || s.userId !== null || s.flash !== null || Object.keys(s.data).length > 0;
  }

  private keep(session: Session): Session {
    if (++this.createdSinceSweep >= SWEEP_EVERY) this.sweep();
    this.sessions.set(session.id, session);
    this.anonymous.add(session.id);
    const cap = this.opts.maxAnonymous ?? MAX_ANONYMOUS;
    for (const id of this.anonymous) {
      if (this.anonymous.size <= cap) break;
      this.anonymous.delete(id);
      // Signed in since: it is no longer anonymous, and stays.
      if (this.sessions.get(id)?.userId === null) this.sessions.delete(id);
    }
    return session;
  }

  /** A new id and CSRF token for the same visitor (at sign-in, against session fixation). */
  regenerate(old: Session): Session {
    this.sessions.delete(old.id);
    const fresh = this.create();
    fresh.flash = old.flash;
    return fresh;
  }

  destroy(session: Session): void {
    this.sessions.delete(session.id);
  }

  /** Ends every session of a user ("sign out everywhere", deactivation). */
  destroyAllFor(userId: string): number {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.userId === userId) {
        this.sessions.delete(id);
        n++;
      }
    }
    return n;
  }

  find(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (this.expired(s, this.now())) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** Idle for longer than the idle timeout (signed in or not), or signed in for longer than the absolute limit. */
  private expired(s: Session, now: number): boolean {
    if (now - s.lastSeen > this.opts.idleTimeoutMinutes * 60_000) return true;
    const absolute = (this.opts.absoluteTimeoutMinutes ?? 12 * 60) * 60_000;
    return s.userId !== null && now - s.createdAt > absolute;
  }

  /** Drops every expired session. */
  sweep(): void {
    this.createdSinceSweep = 0;
    const now = this.now();
    for (const [id, s] of this.sessions) if (this.expired(s, now)) this.sessions.delete(id);
    for (const id of this.anonymous) if (this.sessions.get(id)?.userId !== null) this.anonymous.delete(id);
  }

  /** How many sessions are held (for tests of the sweep and of the anonymous cap). */
  get size(): number {
    return this.sessions.size;
  }

  sign(id: string): string {
    const mac = createHmac('sha256', this.opts.secret).update(id).digest('base64url');
    return `${id}.${mac}`;
  }

  /** The session id in a cookie value whose signature is right, else null. */
  unsign(value: string): string | null {
    const known = this.verified.get(value);
    if (known !== undefined) return known;
    const dot = value.lastIndexOf('.');
    if (dot < 1) return null;
    const id = value.slice(0, dot);
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(value);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    // A signature, once checked, stays right: remember it (bounded) so each request does not recompute it.
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(value, id);
    return id;
  }

  private cookieOptions() {
    return { httpOnly: true, sameSite: 'lax', secure: this.opts.secure, path: '/' } as const;
  }

  setCookie(res: Response, session: Session): void {
    res.cookie(this.cookieName, this.sign(session.id), this.cookieOptions());
  }

  /** Removes the cookie with the attributes it was set with (Secure included, which __Host- needs). */
  clearCookie(res: Response): void {
    res.clearCookie(this.cookieName, this.cookieOptions());
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.apiToken) {
        // A token request keeps no session: a throwaway one, never stored, no cookie.
        req.session = { ...this.blank(), id: '' };
        return next();
      }
      const raw = readCookie(req.headers.cookie, this.cookieName);
      const id = raw ? this.unsign(raw) : null;
      const session = id ? this.find(id) : undefined;
      if (session) {
        session.lastSeen = this.now();
        req.session = session;
        return next();
      }
      // A visitor without a session gets one kept only if the answer needs it (below): a redirect to
      // sign in, a 404 or a refusal holds nothing, so a flood of cookie-less requests stores nothing.
      const fresh = this.blank();
      req.session = fresh;
      const writeHead = res.writeHead;
      res.writeHead = ((...args: Parameters<Response['writeHead']>) => {
        const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
        if (this.worthKeeping(fresh, status)) {
          this.keep(fresh);
          this.setCookie(res, fresh);
        }
        return writeHead.apply(res, args);
      }) as Response['writeHead'];
      next();
    };
  }

  /** Only for the store of users: drop sessions whose user's epoch moved on. */
  prune(store: Store): void {
    for (const [id, s] of this.sessions) {
      if (!s.userId) continue;
      const u = store.get('users', s.userId);
      if (!u?.active || u.sessionEpoch !== s.epoch) this.sessions.delete(id);
    }
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
