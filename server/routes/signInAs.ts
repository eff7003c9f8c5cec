import type { Request } from 'express';
import type { User } from '../../data/schemas/accountSchemas.js';
import { signIn } from '../auth/signIn.js';
import type { Sessions } from '../middleware/setUpSession.js';

/** Starts a new session (new id) signed in as `user`, as a password sign-in does, with a message for the next page. */
export async function signInAs(sessions: Sessions, req: Request, user: User, flash: string): Promise<void> {
  const session = await signIn(sessions, req, user, 'password');
  session.flash = { text: flash };
}
