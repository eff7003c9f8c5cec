import type { ApiToken, User } from '../data/schemas/accountSchemas.js';
import type { Navigation, NavItem } from './navigation.js';
import type { Session } from './middleware/setUpSession.js';

declare global {
  namespace Express {
    interface Request {
      session: Session;
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
