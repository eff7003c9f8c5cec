import type { Request, Response } from 'express';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { SessionStore } from '../middleware/setUpSession.js';

/** Starts a new session (new id) signed in as `user`, as a password sign-in does, with a message for the next page. */
export function signInAs(
  sessions: SessionStore,
  req: Request,
  res: Response,
  user: User,
  flash: string,
): void {
  const session = sessions.regenerate(req.session);
  session.userId = user.id;
  session.epoch = user.sessionEpoch;
  session.flash = { text: flash };
  sessions.setCookie(res, session);
}
