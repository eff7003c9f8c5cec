import { Router } from 'express';
import { isoDateOrToday } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import { createPageBodyCache } from '../middleware/setUpViews.js';
import type { Services } from '../services/createServices.js';

export { subjectHref } from '../services/dashboardService.js';

const PAGE = 'pages/dashboard/index';

export function dashboardRoutes({ flags, dashboard, store, config }: Services) {
  const router = Router();
  const bodies = createPageBodyCache({ enabled: config.production });
  router.get('/', anyRole(), async (req, res) => {
    const today = flags.today();
    const asOf = isoDateOrToday(req.query.as_of, today) ?? today;
    const { model, key } = dashboard.view(req.user!, { asOf, today, ...req.query });
    // A page with a flash message (shown once) is rendered as it is; others come from the body cache.
    if (res.locals.flash) return res.render(PAGE, { title: 'Dashboard', ...model });
    const pageHtml = await bodies(PAGE, { ...model, flash: null }, key, store.revision);
    res.render(PAGE, { title: 'Dashboard', pageHtml });
  });
  return router;
}
