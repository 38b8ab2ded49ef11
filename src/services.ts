import type { Knex } from 'knex';
import { adminService } from './admin/service.js';
import { auditService } from './audit/service.js';
import { authService } from './auth/service.js';
import type { Clock } from './clock.js';
import type { PersonSectionProvider } from './people/sections.js';
import { peopleService } from './people/service.js';
import { plansService } from './plans/service.js';

/** The one place services are built; routes receive what they need from here. */
export function createServices(db: Knex, clock: Clock) {
  const people = peopleService(db);
  return {
    auth: authService(db, clock),
    people,
    plans: plansService(db, people, clock),
    admin: adminService(db),
    audit: auditService(db),
  };
}

export type Services = ReturnType<typeof createServices>;

/** The sections of the person page, in the order they appear under the person's details. */
export function personSectionProviders(services: Services): PersonSectionProvider[] {
  return [(user, person) => services.plans.personSection(user, person)];
}
