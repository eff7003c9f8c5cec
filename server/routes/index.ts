import { Router } from 'express';
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
import { onlyItsPaths } from './pathGuard.js';

/**
 * Every area's routes. Each area file guards its own routes by role; a request enters only the areas whose
 * routes name its path (pathGuard.ts).
 */
export function routes(services: Services) {
  const router = Router();
  // The dashboard first: the most-read page, so its requests pass no other area's routes.
  router.use(onlyItsPaths(dashboardRoutes(services)));
  router.use(onlyItsPaths(staticPageRoutes()));
  router.use(onlyItsPaths(authRoutes(services)));
  router.use(onlyItsPaths(oidcRoutes(services)));
  router.use(onlyItsPaths(twoFactorRoutes(services)));
  router.use(onlyItsPaths(setupRoutes(services)));
  router.use(onlyItsPaths(invitationRoutes(services)));
  router.use(onlyItsPaths(apiRoutes(services)));
  router.use(onlyItsPaths(premisesRoutes(services)));
  router.use(onlyItsPaths(libraryRoutes(services)));
  router.use(onlyItsPaths(reviewRoutes(services)));
  router.use(onlyItsPaths(reviewCheckRoutes(services)));
  router.use(onlyItsPaths(reviewSectionRoutes(services)));
  router.use(onlyItsPaths(reviewFollowUpRoutes(services)));
  router.use(onlyItsPaths(evidenceRoutes(services)));
  router.use(onlyItsPaths(schoolRoutes(services)));
  router.use(onlyItsPaths(userRoutes(services)));
  router.use(onlyItsPaths(importRoutes(services)));
  router.use(onlyItsPaths(accountRoutes(services)));
  router.use(onlyItsPaths(tokenRoutes(services)));
  router.use(onlyItsPaths(auditRoutes(services)));
  router.use(onlyItsPaths(bookingRoutes(services)));
  router.use(onlyItsPaths(watchlistRoutes(services)));
  router.use(onlyItsPaths(trainingRoutes(services)));
  router.use(onlyItsPaths(planRoutes(services)));
  router.use(onlyItsPaths(reportRoutes(services)));
  router.use(onlyItsPaths(reminderRoutes(services)));
  router.use(onlyItsPaths(myActionsRoutes(services)));
  return router;
}
