import type { Knex } from 'knex';
import { adminService } from './admin/service.js';
import { assessmentsSectionView } from './assessments/presenters.js';
import { assessmentsOfPersonQuery, toAssessmentListing, type AssessmentListingRow } from './assessments/repo.js';
import { assessmentsService } from './assessments/service.js';
import { auditService } from './audit/service.js';
import { authService } from './auth/service.js';
import { clientLevelDataService } from './client-level-data/service.js';
import type { Clock } from './clock.js';
import { dashboardService } from './dashboard/service.js';
import { draftsService } from './drafts/service.js';
import { directPaymentsSectionView } from './direct-payments/presenters.js';
import { directPaymentsService } from './direct-payments/service.js';
import type { JsonRow } from './db/read-together.js';
import { budgetEndingService } from './finance/ending-service.js';
import { financeSectionView } from './finance/presenters.js';
import {
  budgetsOfPersonQuery,
  chargesOfPersonQuery,
  financialAssessmentsOfPersonQuery,
  toBudgetCharge,
  toPersonBudget,
  toPersonFinancialAssessment,
  type BudgetChargeRow,
  type PersonBudgetRow,
  type PersonFinancialAssessmentRow,
} from './finance/repo.js';
import { endPersonalBudget, financeService } from './finance/service.js';
import { homeService } from './home/service.js';
import { notesService } from './notes/service.js';
import type { PersonPageSection, PersonSections } from './people/sections.js';
import { carersService } from './people/carers-service.js';
import { supportRequestsService } from './people/requests-service.js';
import { peopleService } from './people/service.js';
import { planSectionView } from './plans/presenters.js';
import { assessmentForPlanningAmong, plansOfPersonQuery, toSupportPlan, type SupportPlanRow } from './plans/repo.js';
import { plansService } from './plans/service.js';
import { rasService } from './ras/service.js';
import { reportsService } from './reports/service.js';
import { timelinessService } from './reports/timeliness-service.js';
import { personReviewsSection } from './reviews/presenters.js';
import { reviewsOfPersonQuery, toPersonReview, type PersonReviewRow } from './reviews/repo.js';
import { reviewsService } from './reviews/service.js';
import { settingsService } from './settings/service.js';
import { selfAssessmentSectionView } from './self-assessment/presenters.js';
import { latestSelfAssessmentQuery, unrevokedInvitationQuery } from './self-assessment/repo.js';
import { selfAssessmentAnswersService } from './self-assessment/answers-service.js';
import { selfAssessmentResultsService } from './self-assessment/results-service.js';
import { selfAssessmentReviewService } from './self-assessment/review-service.js';
import { selfAssessmentAccessService } from './self-assessment/service.js';

/**
 * The one place services are built; routes receive what they need from here. `reportingDb` (a
 * read replica, or `db` itself) is given only to the services whose reads are long.
 */
export function createServices(db: Knex, clock: Clock, reportingDb: Knex = db) {
  const people = peopleService(db);
  const directPayments = directPaymentsService(db, people, clock);
  const ras = rasService(db, clock);
  const finance = financeService(db, people, clock);
  const plans = plansService(db, people, clock);
  const assessments = assessmentsService(db, clock);
  return {
    auth: authService(db, clock),
    people,
    supportRequests: supportRequestsService(db),
    carers: carersService(db),
    notes: notesService(db, clock),
    plans,
    finance,
    budgetEnding: budgetEndingService(db, people),
    directPayments,
    home: homeService(db, clock, finance),
    dashboard: dashboardService(reportingDb, clock),
    admin: adminService(db, clock),
    settings: settingsService(db, clock),
    audit: auditService(db),
    assessments,
    selfAssessmentAccess: selfAssessmentAccessService(db, clock),
    selfAssessmentAnswers: selfAssessmentAnswersService(db, clock),
    selfAssessmentReview: selfAssessmentReviewService(db, clock),
    selfAssessmentResults: selfAssessmentResultsService(db, assessments, plans),
    ras,
    reports: reportsService(db, ras, reportingDb),
    timeliness: timelinessService(reportingDb, clock),
    clientLevelData: clientLevelDataService(db, reportingDb),
    drafts: draftsService(db, clock),
    // A review's decision changes other areas' records in the review's own transaction, through their services.
    reviews: reviewsService(db, clock, {
      startReassessment: (trx, actor, personId, reviewId) => assessmentsService(trx, clock).startReassessment(actor, personId, reviewId),
      endBudget: endPersonalBudget,
      directPaymentMonitoring: (person) => directPayments.monitoringOfVisiblePerson(person),
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** Each area's own query of a person's records, for the person page's sections; each table is read once. */
export function personRecordQueries(db: Knex, personId: number) {
  return {
    assessments: assessmentsOfPersonQuery(db, personId),
    plans: plansOfPersonQuery(db, personId),
    budgets: budgetsOfPersonQuery(db, personId),
    charges: chargesOfPersonQuery(db, personId),
    financialAssessments: financialAssessmentsOfPersonQuery(db, personId),
    reviews: reviewsOfPersonQuery(db, personId),
    selfAssessments: latestSelfAssessmentQuery(db, personId),
    invitations: unrevokedInvitationQuery(db, personId),
  };
}

/** The records from their rows, as each area's own reads would give them, shared by every section that needs them. */
export function personRecordsFrom(rows: Record<string, JsonRow[]>) {
  const assessmentRows = (rows.assessments ?? []) as AssessmentListingRow[];
  return {
    assessments: assessmentRows.map(toAssessmentListing),
    assessmentForPlanning: assessmentForPlanningAmong(assessmentRows),
    plans: ((rows.plans ?? []) as SupportPlanRow[]).map(toSupportPlan),
    budgets: ((rows.budgets ?? []) as PersonBudgetRow[]).map(toPersonBudget),
    charges: ((rows.charges ?? []) as BudgetChargeRow[]).map(toBudgetCharge),
    financialAssessments: ((rows.financialAssessments ?? []) as PersonFinancialAssessmentRow[]).map(toPersonFinancialAssessment),
    reviews: ((rows.reviews ?? []) as PersonReviewRow[]).map(toPersonReview),
    selfAssessments: rows.selfAssessments ?? [],
    invitations: rows.invitations ?? [],
  };
}

/** The sections of the person page, in the order they appear under the person's details. */
export function personSections(services: Services, db: Knex): PersonSections {
  return {
    queries: (personId) => personRecordQueries(db, personId),
    build: (user, person, rows) => {
      const records = personRecordsFrom(rows);
      const sections: (PersonPageSection | null)[] = [
        assessmentsSectionView(services.assessments.personSection(user, person, records.assessments)),
        selfAssessmentSectionView(services.selfAssessmentAccess.personSection(user, person, records.selfAssessments, records.invitations)),
        planSectionView(services.plans.personSection(user, person, records.plans, records.assessmentForPlanning)),
        financeSectionView(
          services.finance.personSection(user, person, {
            budgets: records.budgets,
            assessments: records.financialAssessments,
            charges: records.charges,
            reviews: records.reviews,
          }),
        ),
        directPaymentsSectionView(person.id, records.budgets),
        personReviewsSection(
          services.reviews.personSection(
            user,
            person,
            records.reviews,
            records.budgets.find((budget) => budget.endDate === null),
          ),
        ),
      ];
      return sections.filter((section) => section !== null);
    },
  };
}
