import { oidcRoutes } from '../auth/oidcRoutes.js';
import { twoFactorRoutes } from '../auth/twoFactorRoutes.js';
import type { Services } from '../services/createServices.js';
import { accountRoutes } from './accountRoutes.js';
import { apiRoutes } from './apiRoutes.js';
import { auditRoutes } from './auditRoutes.js';
import { authRoutes } from './authRoutes.js';
import { bookingRoutes } from '../hallHire/bookingRoutes.js';
import { dashboardRoutes } from './dashboardRoutes.js';
import { evidenceRoutes } from './evidenceRoutes.js';
import { importRoutes } from '../imports/importRoutes.js';
import { invitationRoutes } from './invitationRoutes.js';
import { libraryRoutes } from './libraryRoutes.js';
import { myActionsRoutes } from './myActionsRoutes.js';
import { planRoutes } from './planRoutes.js';
import { premisesRoutes } from './premisesRoutes.js';
import { reminderRoutes } from './reminderRoutes.js';
import { reportRoutes } from './reportRoutes.js';
import { reviewCheckRoutes } from './reviewCheckRoutes.js';
import { reviewSectionRoutes } from './reviewSectionRoutes.js';
import { reviewFollowUpRoutes } from './reviewFollowUpRoutes.js';
import { reviewRoutes } from './reviewRoutes.js';
import { setupRoutes } from './setupRoutes.js';
import { schoolRoutes } from '../schools/schoolRoutes.js';
import { staticPageRoutes } from './staticPageRoutes.js';
import { tokenRoutes } from './tokenRoutes.js';
import { trainingRoutes } from './trainingRoutes.js';
import { userRoutes } from './userRoutes.js';
import { watchlistRoutes } from './watchlistRoutes.js';
import { byFirstSegment } from './pathGuard.js';

/**
 * Every area's routes. Each area file guards its own routes by role; a request enters only the areas whose
 * routes name its first path segment, found by one look-up (pathGuard.ts). The dashboard first, as before.
 */
export function routes(services: Services) {
  return byFirstSegment(
    dashboardRoutes(services),
    staticPageRoutes(),
    authRoutes(services),
    oidcRoutes(services),
    twoFactorRoutes(services),
    setupRoutes(services),
    invitationRoutes(services),
    apiRoutes(services),
    premisesRoutes(services),
    libraryRoutes(services),
    reviewRoutes(services),
    reviewCheckRoutes(services),
    reviewSectionRoutes(services),
    reviewFollowUpRoutes(services),
    evidenceRoutes(services),
    schoolRoutes(services),
    userRoutes(services),
    importRoutes(services),
    accountRoutes(services),
    tokenRoutes(services),
    auditRoutes(services),
    bookingRoutes(services),
    watchlistRoutes(services),
    trainingRoutes(services),
    planRoutes(services),
    reportRoutes(services),
    reminderRoutes(services),
    myActionsRoutes(services),
  );
}
