import type { Request, Response } from 'express';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Session, SessionStore } from '../middleware/setUpSession.js';

export type SignInMethod = 'password' | 'single sign-on';

/**
 * The one way a session becomes signed in, whatever the method: a new session id (against fixation),
 * the user and their session epoch, and how they signed in (two-factor enrolment applies to password
 * sign-ins only). Every sign-in route calls this, so a change of session library changes one place.
 */
export function signIn(
  sessions: SessionStore,
  req: Request,
  res: Response,
  user: User,
  method: SignInMethod,
): Session {
  const session = sessions.regenerate(req.session);
  session.userId = user.id;
  session.epoch = user.sessionEpoch;
  session.data.signInMethod = method;
  sessions.setCookie(res, session);
  req.session = session;
  return session;
}

export function signInMethodOf(session: Session): SignInMethod {
  // Sessions from before single sign-on carried no method: they were password sign-ins.
  return session.data.signInMethod === 'single sign-on' ? 'single sign-on' : 'password';
}

/** A password sign-in waiting for its second factor: nobody is signed in yet. */
export interface PendingTwoFactor {
  userId: string;
  epoch: number;
  next: string;
  startedAt: number;
}

/** How long the code page waits after the password was accepted before the password is asked again. */
export const PENDING_TWO_FACTOR_MS = 10 * 60_000;

/** After a right password for an enrolled account: a fresh session that remembers whose code to ask for. */
export function awaitSecondFactor(
  sessions: SessionStore,
  req: Request,
  res: Response,
  user: User,
  next: string,
): void {
  const session = sessions.regenerate(req.session);
  const pending: PendingTwoFactor = {
    userId: user.id,
    epoch: user.sessionEpoch,
    next,
    startedAt: sessions.now(),
  };
  session.data.pendingTwoFactor = pending;
  sessions.setCookie(res, session);
  req.session = session;
}

/** The pending sign-in of this session, if it is still fresh. */
export function pendingTwoFactorOf(sessions: SessionStore, session: Session): PendingTwoFactor | null {
  const p = session.data.pendingTwoFactor as PendingTwoFactor | undefined;
  if (!p || sessions.now() - p.startedAt > PENDING_TWO_FACTOR_MS) return null;
  return p;
}
