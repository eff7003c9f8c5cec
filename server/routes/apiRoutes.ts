import { Router } from 'express';
import { queryDate } from '../forms/queryParams.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';

export function apiRoutes({ flags }: Services) {
  const router = Router();
  router.get(
    '/api/flags',
    anyRole()((req, res) => {
      const asOf = queryDate(req.query, 'as_of', flags.today());
      res.json(flags.forUser(req.user, asOf));
    }),
  );
  return router;
}
