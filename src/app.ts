import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type pg from 'pg';
import { adminRoutes } from './admin/routes.js';
import { assessmentRoutes } from './assessments/routes.js';
import { auditRoutes } from './audit/routes.js';
import { setUpAuthentication } from './auth/passport.js';
import { authRoutes } from './auth/routes.js';
import { clientLevelDataRoutes } from './client-level-data/routes.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { formDrafts } from './drafts/routes.js';
import { directPaymentRoutes } from './direct-payments/routes.js';
import { budgetEndingRoutes } from './finance/ending-routes.js';
import { financeRoutes } from './finance/routes.js';
import { homeRoutes } from './home/routes.js';
import { noteFormsKept, noteRoutes } from './notes/routes.js';
import { carerRoutes } from './people/carers-routes.js';
import { supportRequestRoutes } from './people/requests-routes.js';
import { peopleRoutes } from './people/routes.js';
import { planFormsKept, planRoutes } from './plans/routes.js';
import { rasRoutes } from './ras/routes.js';
import { listDownloadRoutes } from './reports/list-download-routes.js';
import { reportRoutes } from './reports/routes.js';
import { reviewFormsKept, reviewRoutes } from './reviews/routes.js';
import { personRoutes } from './self-assessment/person-routes.js';
import { staffSelfAssessmentRoutes } from './self-assessment/staff-routes.js';
import { createServices, personSections } from './services.js';
import { settingsRoutes } from './settings/routes.js';
import { requireSignedIn } from './web/auth-guards.js';
import { setUpBanners } from './web/banner.js';
import { csrfTokenCheck, setUpCsrf } from './web/csrf.js';
import { errorHandler, notFoundHandler } from './web/errors.js';
import { healthRoutes } from './web/health.js';
import { setUpLocals } from './web/locals.js';
import { setUpLogging } from './web/logging.js';
import { setUpSecurity } from './web/security.js';
import {
  endLongSessions,
  keepSessionAlive,
  noStore,
  sessionIdInCookie,
  sessionTimeoutLocals,
  setUpSession,
  staySignedInRoutes,
} from './web/session.js';
import { setUpStaticFiles, viewsDir } from './web/static.js';
import { ejsEngine } from './web/views.js';

export type AppDependencies = {
  config: Config;
  db: Knex;
  /** Where the dashboard, reports, impact modelling and exports read: a read replica, or `db` when left out. */
  reportingDb?: Knex;
  sessionPool: pg.Pool;
  logger: Logger;
  clock: Clock;
};

/** Builds the whole app from its dependencies; listening is server.ts's job, so tests use this as it is. */
export function createApp(deps: AppDependencies): Express {
  const services = createServices(deps.db, deps.clock, deps.reportingDb ?? deps.db);
  const app = express();
  app.engine('ejs', ejsEngine());
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  // Express caches compiled templates only when NODE_ENV=production, and `npm start` runs in
  // development, where compiling every template on every page cost a quarter of a person page's time.
  app.set('view cache', !deps.config.reloadTemplates);
  app.set('trust proxy', deps.config.trustProxy);
  // GOV.UK date inputs in search forms (from[day]) arrive nested, as they do in posted forms.
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  // Pages are never kept by the browser (noStore), so nothing ever asks again with an ETag, and
  // hashing each page for one was wasted work; the static files keep theirs.
  app.set('etag', false);

  app.use(setUpLogging(deps.logger));
  app.use(setUpSecurity(deps.config.secureCookies));
  app.use(setUpStaticFiles());
  app.use(healthRoutes(deps.db));
  app.use(noStore);
  // Locals first, so even a refused body (too large, too many fields) gets the service's error page.
  app.use(setUpLocals(deps.config.councilName, deps.config.sessionAbsoluteHours));
  app.use(setUpBanners({ secret: deps.config.sessionSecret, secureCookies: deps.config.secureCookies }));
  app.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }));
  app.use(
    setUpSession({
      pool: deps.sessionPool,
      secret: deps.config.sessionSecret,
      secureCookies: deps.config.secureCookies,
      idleMinutes: deps.config.sessionIdleMinutes,
      logger: deps.logger,
    }),
  );
  app.use(setUpAuthentication(services.auth));
  app.use(endLongSessions(deps.config.sessionAbsoluteHours));
  app.use(keepSessionAlive(deps.clock));
  app.use(
    sessionTimeoutLocals({
      clock: deps.clock,
      idleMinutes: deps.config.sessionIdleMinutes,
      absoluteHours: deps.config.sessionAbsoluteHours,
    }),
  );
  const drafts = formDrafts(services.drafts, { secureCookies: deps.config.secureCookies });
  // Before the CSRF check, which refuses a token from a session that has ended: this only keeps the text.
  app.use(
    drafts.keepPostsAfterSessionEnds({
      forms: [...reviewFormsKept, ...planFormsKept, ...noteFormsKept],
      endedSessionId: sessionIdInCookie(deps.config.secureCookies),
      tokenMadeForSession: csrfTokenCheck({ secret: deps.config.sessionSecret, secureCookies: deps.config.secureCookies }),
      userOfSession: (sessionId) => services.auth.userOfEndedSession(sessionId),
    }),
  );
  app.use(setUpCsrf({ secret: deps.config.sessionSecret, secureCookies: deps.config.secureCookies }));
  app.use(authRoutes(services.auth));
  app.use(staySignedInRoutes(deps.clock));
  // Before the staff sign-in check: a person's session is no staff sign-in, and reaches only these pages.
  app.use(personRoutes(services.selfAssessmentAccess, services.selfAssessmentAnswers, services.selfAssessmentResults, deps.clock));

  app.use(requireSignedIn);
  // Before the home lists, whose /home/:list would otherwise take /home/overdue.csv for a list of that name.
  app.use(listDownloadRoutes(services, deps.clock));
  app.use(homeRoutes(services.home));
  app.use(peopleRoutes(services.people, deps.clock, personSections(services, deps.db)));
  app.use(supportRequestRoutes(services.supportRequests, deps.clock));
  app.use(carerRoutes(services.carers));
  app.use(noteRoutes(services.notes, drafts, deps.clock));
  app.use(assessmentRoutes(services.assessments));
  app.use(staffSelfAssessmentRoutes(services.selfAssessmentAccess, services.selfAssessmentReview, deps.config.councilName));
  app.use(planRoutes(services.plans, drafts));
  app.use(financeRoutes(services.finance, deps.clock));
  app.use(budgetEndingRoutes(services.budgetEnding, deps.clock));
  app.use(directPaymentRoutes(services.directPayments, deps.clock));
  app.use(reviewRoutes(services.reviews, drafts, deps.clock));
  app.use(adminRoutes(services.admin));
  app.use(settingsRoutes(services.settings, deps.clock));
  app.use(auditRoutes(services.audit, deps.clock));
  app.use(rasRoutes(services.ras, services.reports, deps.clock));
  app.use(dashboardRoutes(services.dashboard));
  app.use(clientLevelDataRoutes(services.clientLevelData, deps.clock));
  app.use(reportRoutes(services, deps.clock));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
