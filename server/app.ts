import { ruleLabel } from '../checks/labels.js';
import express from 'express';
import { requireTwoFactorEnrolment } from './auth/requireTwoFactorEnrolment.js';
import { defaultLocals, escapeHtml } from './middleware/defaultLocals.js';
import { describeRecord, recordIn } from './services/auditValues.js';
import type { Services } from './services/createServices.js';
import { setUpApiTokens } from './middleware/setUpApiTokens.js';
import { setUpAuthentication } from './middleware/setUpAuthentication.js';
import { setUpCsrf } from './middleware/setUpCsrf.js';
import { setUpInputLimits } from './middleware/setUpInputLimits.js';
import { errorHandler, notFoundHandler } from './middleware/setUpErrorHandling.js';
import { setUpStaticAssets } from './middleware/setUpStaticAssets.js';
import { setUpViews } from './middleware/setUpViews.js';
import { setUpWebSecurity } from './middleware/setUpWebSecurity.js';
import { pipeline } from './middleware/pipeline.js';
import { parseQueryOnce } from './middleware/queryOnce.js';
import { EVIDENCE_UPLOAD_PATH } from './routes/evidenceRoutes.js';
import { IMPORT_UPLOAD_PATH } from './imports/importRoutes.js';
import { hireRoutes } from './public/hireRoutes.js';
import { returnRoutes } from './public/returnRoutes.js';
import { healthRoutes } from './routes/healthRoutes.js';
import { routes } from './routes/index.js';
import { byFirstSegment } from './routes/pathGuard.js';
import { calendarFeedRoutes } from './routes/reminderRoutes.js';

/** Builds the app; a separate entry (main.ts) starts it listening. */
export function createApp(services: Services) {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  parseQueryOnce(app);
  app.set('trust proxy', config.trustProxy);
  setUpViews(app, config.production);
  app.locals.escapeHtml = escapeHtml;
  app.locals.escapeAttr = escapeHtml;
  // Pages name rules by their plain labels (SPEC §17); the codes stay in form values.
  app.locals.ruleLabel = ruleLabel;
  const formBodies = express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 });
  app.use(
    pipeline(
      defaultLocals,
      setUpWebSecurity({ https: config.secureCookies }),
      // Assets, health checks and calendar feeds, then pages for people without an account (hall hire):
      // before sessions and sign-in, the hire pages with their own CSRF and limits.
      byFirstSegment(
        setUpStaticAssets(),
        healthRoutes(services.store),
        calendarFeedRoutes(services),
        hireRoutes(services),
      ),
      // A GET or HEAD carries no form: such a request goes on without the parser's look at its headers.
      (req, res, next) =>
        req.method === 'GET' || req.method === 'HEAD' ? next() : formBodies(req, res, next),
      // Pages for people without an account (server/public/): before API tokens, sessions and sign-in.
      byFirstSegment(returnRoutes(services)),
      setUpApiTokens(services.apiTokens),
      ...services.sessions.middleware(),
      setUpAuthentication(services.store),
      setUpInputLimits({ checkedByRoute: ['/login'] }),
      requireTwoFactorEnrolment(config),
      setUpCsrf({ checkedByRoute: [EVIDENCE_UPLOAD_PATH, IMPORT_UPLOAD_PATH] }),
      routes(services),
    ),
  );
  app.use(notFoundHandler());
  app.use(
    errorHandler({
      production: config.production,
      log: config.logErrors ? console.error : () => {},
      nameOf: (collection, id) =>
        describeRecord(services.store, collection, recordIn(services.store, collection, id)) ||
        'a record since removed',
    }),
  );
  return app;
}
