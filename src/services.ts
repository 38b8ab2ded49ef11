import type { Knex } from 'knex';
import { adminService } from './admin/service.js';
import { assessmentsSectionView } from './assessments/presenters.js';
import { assessmentsService } from './assessments/service.js';
import { auditService } from './audit/service.js';
import { authService } from './auth/service.js';
import type { Clock } from './clock.js';
import { dashboardService } from './dashboard/service.js';
import { budgetEndingService } from './finance/ending-service.js';
import { financeSectionView } from './finance/presenters.js';
import { endPersonalBudget, financeService } from './finance/service.js';
import { homeService } from './home/service.js';
import type { PersonSectionProvider } from './people/sections.js';
import { peopleService } from './people/service.js';
import { planSectionView } from './plans/presenters.js';
import { plansService } from './plans/service.js';
import { rasService } from './ras/service.js';
import { reportsService } from './reports/service.js';
import { personReviewsSection } from './reviews/presenters.js';
import { reviewsService } from './reviews/service.js';
import { settingsService } from './settings/service.js';

/**
 * The one place services are built; routes receive what they need from here. `reportingDb` (a
 * read replica, or `db` itself) is given only to the services whose reads are long.
 */
export function createServices(db: Knex, clock: Clock, reportingDb: Knex = db) {
  const people = peopleService(db);
  const ras = rasService(db, clock);
  const finance = financeService(db, people, clock);
  return {
    auth: authService(db, clock),
    people,
    plans: plansService(db, people, clock),
    finance,
    budgetEnding: budgetEndingService(db, people),
    home: homeService(db, clock, finance),
    dashboard: dashboardService(reportingDb, clock),
    admin: adminService(db, clock),
    settings: settingsService(db, clock),
    audit: auditService(db),
    assessments: assessmentsService(db, clock),
    ras,
    reports: reportsService(db, ras, reportingDb),
    // A review's decision changes other areas' records in the review's own transaction, through their services.
    reviews: reviewsService(db, clock, {
      startReassessment: (trx, actor, personId, reviewId) => assessmentsService(trx, clock).startReassessment(actor, personId, reviewId),
      endBudget: endPersonalBudget,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** The sections of the person page, in the order they appear under the person's details. */
export function personSectionProviders(services: Services): PersonSectionProvider[] {
  return [
    (user, person) => services.assessments.personSection(user, person).then(assessmentsSectionView),
    (user, person) => services.plans.personSection(user, person).then(planSectionView),
    (user, person) => services.finance.personSection(user, person).then(financeSectionView),
    (user, person) => services.reviews.personSection(user, person).then(personReviewsSection),
  ];
}
