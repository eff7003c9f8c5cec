import { Router } from 'express';
import { isoDateOrToday } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import { createPageCache } from '../middleware/setUpViews.js';
import type { Services } from '../services/createServices.js';

const PAGE = 'pages/dashboard/index';

export function dashboardRoutes({ flags, dashboard, store, config }: Services) {
  const router = Router();
  const sendPage = createPageCache({ enabled: config.production });
  router.get(
    '/',
    anyRole()(async (req, res) => {
      const today = flags.today();
      const asOf = isoDateOrToday(req.query.as_of, today) ?? today;
      const { model, key } = dashboard.view(req.user, { asOf, today, ...req.query });
      await sendPage(res, PAGE, 'Dashboard', model, key, store.revision);
    }),
  );
  return router;
}
