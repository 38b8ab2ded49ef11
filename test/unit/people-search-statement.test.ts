import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { preparedName } from '../../src/db/prepared.js';
import { searchQuery, searchStatement } from '../../src/people/repo.js';
import { parseSearch } from '../../src/people/schemas.js';

// Compiling needs no database: Knex builds PostgreSQL's text without connecting.
const db = knex({ client: 'pg' });
afterAll(() => db.destroy());

const typed = [
  'Pike',
  'pike',
  'Okafer',
  'Ann Pike',
  'Pike, Ann Marie',
  'O%Brien_',
  'back\\slash',
  'Zoë',
  'SD-01001',
  'SD-01001 Pike',
  '943 476 5919',
  'LS1 4AP',
  'LS1 4AP Pike',
  '14/3/1938',
  'Pike 14 March 1938',
  'Pike 943 476 5919 LS1 4AP 1938-03-14',
];
const filters = [{}, { teamId: 3 }, { teamId: 7, clientGroup: 'older_people' as const }, { clientGroup: 'mental_health' as const }];

describe('the people search compiled once for each shape of search', () => {
  it('runs the same text with the same values as Knex builds afresh for every search', () => {
    let compared = 0;
    // Each shape is first compiled for one search and then reused for others of that shape.
    for (const round of [1, 2])
      for (const filter of filters)
        for (const q of round === 1 ? typed : [...typed].reverse()) {
          const parsed = parseSearch(q);
          if (!('terms' in parsed)) throw new Error(`${q} is not a search`);
          const search = { ...filter, ...parsed.terms };
          const afresh = searchQuery(db, search, 20).toSQL();
          const statement = searchStatement(db, search, 20);
          expect(statement.sql).toBe(afresh.sql);
          expect(statement.bindings).toEqual(afresh.bindings);
          expect(statement.name).toBe(preparedName(afresh.sql));
          compared += 1;
        }
    expect(compared).toBe(2 * typed.length * filters.length);
  });

  it('gives another search of the same shape its own values', () => {
    const pike = searchStatement(db, { words: ['pike'], teamId: 1 }, 20);
    const okafor = searchStatement(db, { words: ['okafor'], teamId: 2 }, 20);
    expect(okafor.sql).toBe(pike.sql);
    expect(okafor.bindings).toContain('okafor');
    expect(okafor.bindings).toContain('okafor%');
    expect(okafor.bindings).toContain(2);
    expect(okafor.bindings).not.toContain('pike');
    expect(okafor.bindings).not.toContain(1);
  });
});
