import { createOidcClient } from '../auth/oidcClient.js';
import { createTwoFactorService } from '../auth/twoFactorService.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import { PgStore } from '../../data/pg/pgStore.js';
import { localRunCoordinator, pgRunCoordinator } from '../../jobs/runCoordinator.js';
import type { PgPool } from '../../data/pg/pgPool.js';
import type { Store } from '../../data/store/store.js';
import { createMyActionsService } from './myActionsService.js';
import type { Config } from '../config.js';
import { createReturnSending } from '../returns/returnSending.js';
import { createReturnService } from '../returns/returnService.js';
import { createBulletinService } from '../schools/bulletinService.js';
import { createSessions } from '../middleware/setUpSession.js';
import { createApiTokenService } from './apiTokenService.js';
import { createAuditService } from './auditService.js';
import { createBookingService } from '../hallHire/bookingService.js';
import { createCalendarService } from './calendarService.js';
import { createDashboardService } from './dashboardService.js';
import { createEvidenceService } from './evidenceService.js';
import { createFlagService } from './flagService.js';
import { createHirerExportService } from './hirerExport.js';
import { createImportPreviews } from '../imports/importPreviews.js';
import { createInvitationService } from './invitationService.js';
import { createSetupService } from './setupService.js';
import { createHireLinks } from '../hallHire/hireLinks.js';
import { createHireRequestService } from '../hallHire/hireRequestService.js';
import { createLibraryService } from './libraryService.js';
import { createNotificationService } from './notificationService.js';
import { createPlanService } from './planService.js';
import { createPremisesService } from './premisesService.js';
import { createReminderService } from './reminderService.js';
import { createReportService } from './report/reportService.js';
import { BOARD_MEASURES, createMeasureRegistry } from '../../checks/report/complianceMeasures.js';
import { createReviewService } from './reviewService.js';
import { createSchoolService } from './schoolService.js';
import { createTrainingService } from './trainingService.js';
import { createSignInThrottle, defaultThrottleLimits, sharedLimits } from './signInThrottle.js';
import { pgSharedAttempts } from '../auth/sharedAttempts.js';
import { createSubjectRegistry } from './subjectRegistry.js';
import { createUserService } from './userService.js';
import { createWatchlistService } from './watchlistService.js';

/**
 * The composition root: every service, built once. Routes receive this typed bag. With `pgPool` (when
 * DATABASE_URL is set, its schema brought up to date) sessions are kept in PostgreSQL, shared by instances.
 */
export function createServices(
  store: Store,
  config: Config,
  sessionSecret: string,
  options: { pgPool?: PgPool | null } = {},
) {
  const flags = createFlagService(store);
  // Each area's service registers its kind of reviewed subject here; the review services look them up.
  const subjects = createSubjectRegistry();
  const reminders = createReminderService(store, config, flags, subjects);
  const reviews = createReviewService(store, subjects);
  // Archived bookings (decided, more than a year past): read from their files only when asked.
  const archive = new ArchiveReader(store.path);
  const audit = createAuditService(store);
  const users = createUserService(store, { passwordHashCost: config.passwordHashCost });
  const hireLinks = createHireLinks(sessionSecret, config.baseUrl);
  const notifications = createNotificationService(store, config, reminders, {
    statusUrl: hireLinks.statusUrl,
    log: config.logErrors ? console.error : () => {},
  });
  const bookings = createBookingService(store, subjects, archive, { decided: notifications.decided });
  const schools = createSchoolService(store, subjects);
  return {
    store,
    config,
    subjects,
    // Scheduled jobs once across instances on PostgreSQL (an advisory lock each); this process alone on the file.
    runCoordinator: store instanceof PgStore ? pgRunCoordinator(store.pool) : localRunCoordinator,
    sessions: createSessions({
      secret: sessionSecret,
      secure: config.secureCookies,
      idleTimeoutMinutes: config.idleTimeoutMinutes,
      // One clock for the whole app: the store's (tests inject it there).
      now: () => store.now().getTime(),
      // Sessions shared by every instance: in the store's own database on PostgreSQL (or a pool given for tests).
      pool: options.pgPool ?? (store instanceof PgStore ? store.pool : null),
      log: config.logErrors ? console.error : () => {},
    }),
    users,
    invitations: createInvitationService(store, config, users),
    setup: createSetupService(store, config, users),
    imports: createImportPreviews(store, config),
    // On PostgreSQL the per-network limit is one for every instance together (sign_in_attempts).
    signInThrottle: createSignInThrottle(
      store,
      defaultThrottleLimits,
      store instanceof PgStore ? pgSharedAttempts(store.pool, sharedLimits(defaultThrottleLimits)) : null,
    ),
    twoFactor: createTwoFactorService(store),
    // Single sign-on when configured (SPEC §15): the provider is asked for its settings at the first sign-in.
    oidc: config.oidc ? createOidcClient(config.oidc, `${config.baseUrl}/auth/callback`) : null,
    apiTokens: createApiTokenService(store),
    audit,
    premises: createPremisesService(store, subjects),
    reviews,
    evidence: createEvidenceService(
      store,
      {
        maxBytes: config.evidenceMaxBytes,
        archivedReview: (id) => archive.list('reviews').find((r) => r.id === id),
      },
      reviews,
      subjects,
    ),
    libraries: createLibraryService(store, subjects, { filterTested: notifications.filterTested }),
    flags,
    dashboard: createDashboardService(store, flags, subjects),
    bookings,
    notifications,
    hireLinks,
    hireRequests: createHireRequestService(store, bookings, notifications, hireLinks),
    hirerExport: createHirerExportService(store, archive, audit),
    watchlists: createWatchlistService(store),
    schools,
    // Schools' annual returns and bulletins go out through the reminders' mail path: one sent log, once each.
    returns: createReturnService(store, config, schools, reminders.mailPath),
    returnSending: createReturnSending(store, config, reminders.mailPath),
    bulletins: createBulletinService(store, config, schools, reminders.mailPath),
    training: createTrainingService(store),
    plan: createPlanService(store, subjects),
    report: createReportService(store, createMeasureRegistry(BOARD_MEASURES), archive),
    reminders,
    myActions: createMyActionsService(store, reminders.items),
    calendar: createCalendarService(store, config, reminders),
  };
}

export type Services = ReturnType<typeof createServices>;
