import { z } from 'zod';
import { dateInput, versionField, yearsUpToToday } from '../web/form-fields.js';
import { requestOutcomes, routesOfAccess } from './client-level-data.js';
import { code } from './schemas.js';

/** Requests reach back as far as the referral dates the person form accepts. */
const YEARS_BACK = 10;

export const newRequestSchema = (today: string) =>
  z.object({
    receivedOn: dateInput('date the request was received', yearsUpToToday(today, YEARS_BACK)),
    routeOfAccess: code(routesOfAccess, 'Select how the request for support reached the council'),
  });
export type NewRequestInput = z.output<ReturnType<typeof newRequestSchema>>;

export const requestOutcomeSchema = (today: string) =>
  z.object({
    outcome: code(requestOutcomes, 'Select what was decided'),
    decidedOn: dateInput('date decided', yearsUpToToday(today, YEARS_BACK)),
    version: versionField,
  });
export type RequestOutcomeInput = z.output<ReturnType<typeof requestOutcomeSchema>>;

export const cancelRequestSchema = z.object({ version: versionField });

export const requestFieldAnchors = { receivedOn: 'receivedOn-day', decidedOn: 'decidedOn-day' };
