import type { SignedInUser } from '../auth/roles.js';
import type { Person } from './repo.js';

/**
 * Other areas (assessments, plans, budgets, reviews) add a section to the person page without the
 * people area knowing about them: each area's presenter names the partial that draws its section
 * and builds the view-model for it. The sections are built together, so records two of them show
 * are read once.
 */
export type PersonPageSection = { partial: string; model: object };
export type PersonSections = (user: SignedInUser, person: Person) => Promise<PersonPageSection[]>;
