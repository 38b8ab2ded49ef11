import type { Knex } from 'knex';
import { adminService } from './admin/service.js';
import { auditService } from './audit/service.js';
import { authService } from './auth/service.js';
import type { Clock } from './clock.js';
import { peopleService } from './people/service.js';

/** The one place services are built; routes receive what they need from here. */
export function createServices(db: Knex, clock: Clock) {
  return {
    auth: authService(db, clock),
    people: peopleService(db),
    admin: adminService(db),
    audit: auditService(db),
  };
}

export type Services = ReturnType<typeof createServices>;
