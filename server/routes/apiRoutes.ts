import { Router } from 'express';
import { isoDateOrToday } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';

export function apiRoutes({ flags }: Services) {
  const router = Router();
  router.get(
    '/api/flags',
    anyRole()((req, res) => {
      const asOf = isoDateOrToday(req.query.as_of, flags.today());
      if (!asOf) return res.status(400).json({ error: 'as_of must be a date like 2026-03-14' });
      res.json(flags.forUser(req.user, asOf));
    }),
  );
  return router;
}
