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
import { planRoutes } from './planRoutes.js';
import { premisesRoutes } from './premisesRoutes.js';
import { reminderRoutes } from './reminderRoutes.js';
import { reportRoutes } from './reportRoutes.js';
import { reviewFollowUpRoutes } from './reviewFollowUpRoutes.js';
import { reviewRoutes } from './reviewRoutes.js';
import { setupRoutes } from './setupRoutes.js';
import { schoolRoutes } from '../schools/schoolRoutes.js';
import { staticPageRoutes } from './staticPageRoutes.js';
import { tokenRoutes } from './tokenRoutes.js';
import { trainingRoutes } from './trainingRoutes.js';
import { userRoutes } from './userRoutes.js';
import { watchlistRoutes } from './watchlistRoutes.js';

/** Every area's routes. Each area file guards its own routes by role. */
export function routes(services: Services) {
  const router = Router();
  // The dashboard first: the most-read page, so its requests pass no other area's routes.
  router.use(dashboardRoutes(services));
  router.use(staticPageRoutes());
  router.use(authRoutes(services));
  router.use(oidcRoutes(services));
  router.use(twoFactorRoutes(services));
  router.use(setupRoutes(services));
  router.use(invitationRoutes(services));
  router.use(apiRoutes(services));
  router.use(premisesRoutes(services));
  router.use(libraryRoutes(services));
  router.use(reviewRoutes(services));
  router.use(reviewFollowUpRoutes(services));
  router.use(evidenceRoutes(services));
  router.use(schoolRoutes(services));
  router.use(userRoutes(services));
  router.use(importRoutes(services));
  router.use(accountRoutes(services));
  router.use(tokenRoutes(services));
  router.use(auditRoutes(services));
  router.use(bookingRoutes(services));
  router.use(watchlistRoutes(services));
  router.use(trainingRoutes(services));
  router.use(planRoutes(services));
  router.use(reportRoutes(services));
  router.use(reminderRoutes(services));
  return router;
}
