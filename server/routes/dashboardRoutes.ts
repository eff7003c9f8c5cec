import { Router } from 'express';
import { DateInputQueryError, queryDate, queryDateInput } from '../forms/queryParams.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import { createPageCache } from '../middleware/setUpViews.js';
import type { Services } from '../services/createServices.js';

const PAGE = 'pages/dashboard/index';
const AS_OF_LABEL = 'the date to show the dashboard as of';

export function dashboardRoutes({ flags, dashboard, store, config }: Services) {
  const router = Router();
  const sendPage = createPageCache({ enabled: config.production });
  router.get(
    '/',
    anyRole()((req, res) => {
      const today = flags.today();
      // Only the filters are read from the query: nothing there can replace the checked dates.
      const { severity, rule, type, page } = req.query;
      let asOf: string;
      try {
        // `as_of` (ISO) is what links and the API use; `asOf` is the page's GOV.UK date input.
        asOf = queryDateInput(req.query, 'asOf', AS_OF_LABEL, queryDate(req.query, 'as_of', today));
      } catch (err) {
        if (!(err instanceof DateInputQueryError)) throw err;
        const filters = Object.entries({ severity, rule, type })
          .filter(([, v]) => typeof v === 'string' && v !== '')
          .map(([name, value]) => ({ name, value: String(value) }));
        return res.status(400).render('pages/dashboard/asOfError', {
          title: 'Error: Dashboard',
          error: err.message,
          parts: err.parts,
          filters,
        });
      }
      // The page shows what these name (the user's id and version, the dates, the filters as given).
      const key = JSON.stringify([req.user.id, req.user.version, asOf, today, severity, rule, type, page]);
      return sendPage(res, PAGE, 'Dashboard', key, store.revision, () =>
        dashboard.view(req.user, { severity, rule, type, page, asOf, today }),
      );
    }),
  );
  return router;
}
