import { Router } from 'express';
import { queryDate } from '../forms/queryParams.js';
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
      const asOf = queryDate(req.query, 'as_of', today);
      // Only the filters are read from the query: nothing there can replace the checked dates.
      const { severity, rule, type, page } = req.query;
      const { model, key } = dashboard.view(req.user, { severity, rule, type, page, asOf, today });
      await sendPage(res, PAGE, 'Dashboard', model, key, store.revision);
    }),
  );
  return router;
}
