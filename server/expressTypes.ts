import type { ApiToken, User } from '../data/schemas/accountSchemas.js';
import type { PendingOidc } from './auth/oidcClient.js';
import type { PendingTwoFactor, SignInMethod } from './auth/signIn.js';
import type { Navigation, NavItem } from './navigation.js';
import type { InvitationNotice } from './routes/userRoutes.js';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in, active user, if any. */
      user?: User;
      /** Set when the request came with a valid API token (then there is no session). */
      apiToken?: ApiToken;
    }
    interface Locals {
      cspNonce: string;
      csrfToken: string;
      user: { id: string; name: string; email: string; role: string } | null;
      nav: NavItem[];
      /** The pages of the navigation group the page is in (shown under the header), if more than one. */
      navSection: Navigation['section'];
      flash: { title?: string; text: string } | null;
      currentPath: string;
    }
  }
}

/** What a session holds (express-session; the CSRF token, `csrfToken`, is declared by csrf-sync). */
declare module 'express-session' {
  interface SessionData {
    /** Who is signed in (null or absent: nobody). */
    userId: string | null;
    /** The user's sessionEpoch when signed in; a higher epoch on the user ends this session. */
    epoch: number;
    /** When the session was kept (for a signed-in one: the sign-in), on the app's clock. */
    createdAt: number;
    /** The last activity, to the minute; unset on a visitor's new session until it is kept. */
    lastSeen: number;
    signInMethod: SignInMethod;
    /** A message for the next page, shown once. */
    flash: { title?: string; text: string } | null;
    pendingTwoFactor: PendingTwoFactor;
    totpEnrolSecret: string;
    recoveryCodes: string[];
    oidcPending: PendingOidc;
    /** What an import did besides its records, shown once on its page (by import id). */
    importNotes: Record<string, string[]>;
    /** A new calendar link, shown once. */
    calendarUrl: string;
    /** A new API token, shown once. */
    newApiToken: { name: string; token: string };
    /** A one-time password made for someone, shown once to the coordinator. */
    oneTimePassword: { email: string; password: string };
    invitation: InvitationNotice;
  }
}
