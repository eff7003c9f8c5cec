import { Router } from 'express';
import type { Services } from '../services/createServices.js';
import { apiRoutes } from './apiRoutes.js';
import { authRoutes } from './authRoutes.js';
import { dashboardRoutes } from './dashboardRoutes.js';
import { libraryRoutes } from './libraryRoutes.js';
import { premisesRoutes } from './premisesRoutes.js';
import { reminderRoutes } from './reminderRoutes.js';
import { reviewRoutes } from './reviewRoutes.js';
import { staticPageRoutes } from './staticPageRoutes.js';
import { userRoutes } from './userRoutes.js';

/** Every area's routes. Each area file guards its own routes by role. */
export function routes(services: Services) {
  const router = Router();
  router.use(staticPageRoutes());
  router.use(authRoutes(services));
  router.use(apiRoutes(services));
  router.use(dashboardRoutes(services));
  router.use(premisesRoutes(services));
  router.use(libraryRoutes(services));
  router.use(reviewRoutes(services));
  router.use(userRoutes(services));
  router.use(reminderRoutes(services));
  return router;
}
