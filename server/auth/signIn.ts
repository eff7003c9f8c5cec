import type { Request } from 'express';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { AppSession, Sessions } from '../middleware/setUpSession.js';

export type SignInMethod = 'password' | 'single sign-on';

/**
 * The one way a session becomes signed in, whatever the method: a new session id (against fixation),
 * the user and their session epoch, and how they signed in (two-factor enrolment applies to password
 * sign-ins only). Every sign-in route calls this, so a change of session library changes one place.
 */
export async function signIn(
  sessions: Sessions,
  req: Request,
  user: User,
  method: SignInMethod,
): Promise<AppSession> {
  const session = await sessions.regenerate(req);
  session.userId = user.id;
  session.epoch = user.sessionEpoch;
  session.signInMethod = method;
  session.createdAt = sessions.now();
  session.lastSeen = session.createdAt;
  return session;
}

export function signInMethodOf(session: AppSession): SignInMethod {
  // Sessions from before single sign-on carried no method: they were password sign-ins.
  return session.signInMethod === 'single sign-on' ? 'single sign-on' : 'password';
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
export async function awaitSecondFactor(
  sessions: Sessions,
  req: Request,
  user: User,
  next: string,
): Promise<void> {
  const session = await sessions.regenerate(req);
  session.pendingTwoFactor = {
    userId: user.id,
    epoch: user.sessionEpoch,
    next,
    startedAt: sessions.now(),
  };
}

/** The pending sign-in of this session, if it is still fresh. */
export function pendingTwoFactorOf(sessions: Sessions, session: AppSession): PendingTwoFactor | null {
  const p = session.pendingTwoFactor;
  if (!p || sessions.now() - p.startedAt > PENDING_TWO_FACTOR_MS) return null;
  return p;
}
