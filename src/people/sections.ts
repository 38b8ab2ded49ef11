import type { SignedInUser } from '../auth/roles.js';
import type { PersonRow } from './repo.js';

/**
 * Other areas (assessments, plans, budgets) add a section to the person page without the
 * people area knowing about them: each gives a view and the model for it.
 */
export type PersonPageSection = { view: string; model: Record<string, unknown> };
export type PersonSectionProvider = (user: SignedInUser, person: PersonRow) => Promise<PersonPageSection | null>;
