import type { Knex } from 'knex';
import type { SignedInUser } from '../auth/roles.js';
import type { JsonRow } from '../db/read-together.js';
import type { Person } from './repo.js';

/**
 * Other areas (assessments, plans, budgets, reviews) add a section to the person page without the
 * people area knowing about them: each area's presenter names the partial that draws its section
 * and builds the view-model for it.
 */
export type PersonPageSection = { partial: string; model: object };

/**
 * The sections' records are read in the page's one statement, beside the person: `queries` gives
 * each area's query of a person's records, and `build` makes the sections from their rows, so
 * records two sections show are read once. The queries are built once, with a stand-in id
 * (readTogetherById), so they must depend on nothing but the person's id, bound as a number.
 */
export type PersonSections = {
  queries: (personId: number) => Record<string, Knex.QueryBuilder>;
  build: (user: SignedInUser, person: Person, rows: Record<string, JsonRow[]>) => PersonPageSection[];
};
