import type { DbOrTransaction } from '../db/knex.js';
import type { Person } from './repo.js';

/** Someone at the other end of a carer link, as a person page names them. */
export type LinkedPerson = Pick<Person, 'id' | 'reference' | 'givenName' | 'familyName' | 'teamId'>;

export type LinkedRow = { id: number; reference: string; given_name: string; family_name: string; team_id: number };

export const toLinked = (row: LinkedRow): LinkedPerson => ({
  id: row.id,
  reference: row.reference,
  givenName: row.given_name,
  familyName: row.family_name,
  teamId: row.team_id,
});

const linkedColumns = ['p.id', 'p.reference', 'p.given_name', 'p.family_name', 'p.team_id'];

/** The people at the other end of a person's links: whom they care for, or who cares for them. */
export function linkedPeopleQuery(db: DbOrTransaction, personId: number, side: 'cared_for' | 'carers') {
  const [own, other] = side === 'cared_for' ? ['l.carer_id', 'l.cared_for_id'] : ['l.cared_for_id', 'l.carer_id'];
  return db('carer_links as l')
    .join('people as p', 'p.id', other)
    .where(own, personId)
    .orderByRaw('lower(p.family_name), lower(p.given_name), p.id')
    .select(...linkedColumns);
}

/** The people a carer cares for, by name. */
export async function caredForBy(db: DbOrTransaction, carerId: number): Promise<LinkedPerson[]> {
  return ((await linkedPeopleQuery(db, carerId, 'cared_for')) as LinkedRow[]).map(toLinked);
}

export async function findPersonByReference(db: DbOrTransaction, reference: string): Promise<LinkedPerson | undefined> {
  const row = (await db('people as p')
    .whereRaw('upper(p.reference) = upper(?)', [reference])
    .first(...linkedColumns)) as LinkedRow | undefined;
  return row && toLinked(row);
}

export async function insertCarerLink(db: DbOrTransaction, carerId: number, caredForId: number): Promise<void> {
  await db('carer_links').insert({ carer_id: carerId, cared_for_id: caredForId });
}

/** True when there was a link to remove. */
export async function deleteCarerLink(db: DbOrTransaction, carerId: number, caredForId: number): Promise<boolean> {
  return (await db('carer_links').where({ carer_id: carerId, cared_for_id: caredForId }).delete()) > 0;
}
