import type { DbOrTransaction } from '../db/knex.js';
import type { PersonClientGroup } from './client-groups.js';
import type { AccommodationStatus, EmploymentStatus, Ethnicity, Gender, PrimarySupportReason } from './client-level-data.js';
import type { SearchTerms } from './schemas.js';
import type { Knex } from 'knex';
import { compiledWithStandIns, type Slot } from '../db/prepared.js';

export type PersonRow = {
  id: number;
  reference: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  postcode: string;
  nhs_number: string | null;
  client_group: PersonClientGroup;
  team_id: number;
  allocated_worker_id: number | null;
  address: string;
  phone: string;
  email: string;
  preferred_contact: 'phone' | 'email' | 'letter';
  referral_date: string | null;
  gender: Gender | null;
  ethnicity: Ethnicity | null;
  primary_support_reason: PrimarySupportReason | null;
  accommodation_status: AccommodationStatus | null;
  employment_status: EmploymentStatus | null;
  has_unpaid_carer: boolean | null;
  date_of_death: string | null;
  version: number;
};

/** A person as the rest of the app sees them; the row's columns stay in this file. */
export type Person = {
  id: number;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string;
  nhsNumber: string | null;
  clientGroup: PersonClientGroup;
  teamId: number;
  allocatedWorkerId: number | null;
  address: string;
  phone: string;
  email: string;
  preferredContact: PersonRow['preferred_contact'];
  referralDate: string | null;
  gender: Gender | null;
  ethnicity: Ethnicity | null;
  primarySupportReason: PrimarySupportReason | null;
  accommodationStatus: AccommodationStatus | null;
  employmentStatus: EmploymentStatus | null;
  /** Null until someone asks: the return tells "not asked" apart from "no". */
  hasUnpaidCarer: boolean | null;
  dateOfDeath: string | null;
  version: number;
};

type IdentityColumns = Pick<
  PersonRow,
  'id' | 'reference' | 'given_name' | 'family_name' | 'date_of_birth' | 'postcode' | 'client_group' | 'team_id'
>;

/**
 * Who someone is, from the columns every list of people selects. Those who add to it use
 * Object.assign rather than a spread followed by more properties, which V8 builds on a slow path:
 * about 3 µs an object, paid by every row of a list (README, "Code run for every row").
 */
function identityOf(row: IdentityColumns) {
  return {
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    postcode: row.postcode,
    clientGroup: row.client_group,
    teamId: row.team_id,
  };
}

export function toPerson(row: PersonRow): Person {
  return Object.assign(identityOf(row), {
    nhsNumber: row.nhs_number,
    allocatedWorkerId: row.allocated_worker_id,
    address: row.address,
    phone: row.phone,
    email: row.email,
    preferredContact: row.preferred_contact,
    referralDate: row.referral_date,
    gender: row.gender,
    ethnicity: row.ethnicity,
    primarySupportReason: row.primary_support_reason,
    accommodationStatus: row.accommodation_status,
    employmentStatus: row.employment_status,
    hasUnpaidCarer: row.has_unpaid_carer,
    dateOfDeath: row.date_of_death,
    version: row.version,
  });
}

export type PersonDetails = Omit<Person, 'id' | 'version'>;

function columnsOf(details: Partial<PersonDetails>): Partial<Omit<PersonRow, 'id' | 'version'>> {
  const columns = {
    reference: details.reference,
    given_name: details.givenName,
    family_name: details.familyName,
    date_of_birth: details.dateOfBirth,
    postcode: details.postcode,
    nhs_number: details.nhsNumber,
    client_group: details.clientGroup,
    team_id: details.teamId,
    allocated_worker_id: details.allocatedWorkerId,
    address: details.address,
    phone: details.phone,
    email: details.email,
    preferred_contact: details.preferredContact,
    referral_date: details.referralDate,
    gender: details.gender,
    ethnicity: details.ethnicity,
    primary_support_reason: details.primarySupportReason,
    accommodation_status: details.accommodationStatus,
    employment_status: details.employmentStatus,
    has_unpaid_carer: details.hasUnpaidCarer,
    date_of_death: details.dateOfDeath,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** The person as the audit trail records them: the row's own columns, as every earlier event has them. */
export function personRecord(person: Person): PersonRow {
  return { id: person.id, version: person.version, ...columnsOf(person) } as PersonRow;
}

/** The person columns a query of another table joins in for its lists (a queue, due reviews). */
export type JoinedPersonColumns = Pick<PersonRow, 'given_name' | 'family_name' | 'reference' | 'client_group'> & { person_id: number };

export function joinedPersonOf(row: JoinedPersonColumns) {
  return {
    id: row.person_id,
    givenName: row.given_name,
    familyName: row.family_name,
    reference: row.reference,
    clientGroup: row.client_group,
  };
}

/** A row of the people search: who, and which team and worker they are with. */
export type PersonListing = Pick<
  Person,
  'id' | 'reference' | 'givenName' | 'familyName' | 'dateOfBirth' | 'postcode' | 'clientGroup' | 'teamId'
> & {
  teamName: string;
  workerName: string | null;
};

type PersonListRow = IdentityColumns & {
  team_name: string;
  worker_name: string | null;
};

const toListing = (row: PersonListRow): PersonListing =>
  Object.assign(identityOf(row), { teamName: row.team_name, workerName: row.worker_name });

export type PersonFilter = {
  teamId?: number;
  clientGroup?: PersonClientGroup;
};

function filtered(db: DbOrTransaction, filter: PersonFilter) {
  const query = db('people as p');
  if (filter.teamId) query.where('p.team_id', filter.teamId);
  if (filter.clientGroup) query.where('p.client_group', filter.clientGroup);
  return query;
}

/** What a row of the People list shows, whether listed or found by a search. */
const listingColumns = [
  'p.id',
  'p.reference',
  'p.given_name',
  'p.family_name',
  'p.date_of_birth',
  'p.postcode',
  'p.client_group',
  'p.team_id',
];

export async function listPeople(db: DbOrTransaction, filter: PersonFilter, limit: number, offset: number) {
  const rows = (await filtered(db, filter)
    .join('teams as t', 't.id', 'p.team_id')
    .leftJoin('users as w', 'w.id', 'p.allocated_worker_id')
    .select(...listingColumns, 't.name as team_name', 'w.display_name as worker_name')
    .orderByRaw('lower(p.family_name), lower(p.given_name), p.id')
    .limit(limit)
    .offset(offset)) as PersonListRow[];
  const [{ count }] = (await filtered(db, filter).count({ count: '*' })) as [{ count: string | number }];
  return { rows: rows.map(toListing), total: Number(count) };
}

export type PeopleSearch = PersonFilter & SearchTerms;

const likePrefix = (word: string) => `${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// A word typed (or worked out from one), as a value Postgres reads when the statement runs rather
// than when it plans it. A prepared statement is planned for its values five times, then once for
// any values only if that plan costs no more than theirs did. A rare name's own plan is the
// cheaper, so a connection whose first searches were for rare names planned every search again
// (2.4 ms of a rare name's 3.4 ms on the bench). Read only when run, every word costs the same to
// plan for, and the plan for any word is kept; the indexes serve it as before.
const A_WORD = '(select ?::text)';
// Each word typed is the start of a given or family name, or (with pg_trgm's %, similarity
// of at least 0.3) a near miss of one: the people_name_trigrams index serves both, and within a
// team the name-start indexes serve the starts.
const STARTS_A_NAME = `(lower(p.family_name) like ${A_WORD} or lower(p.given_name) like ${A_WORD})`;
/**
 * A name that starts with a word, as a range of a name-start index's keys: from the word up to the
 * least text past it (pastEveryStartOf).
 */
const keyStartsWith = (column: 'family_key' | 'given_key') => `p.${column} ~>=~ ${A_WORD} and p.${column} ~<~ ${A_WORD}`;
// STARTS_A_NAME within a team, from the team's name-start indexes: far fewer entries to read
// there than in the trigram index, whose entries for the start of a word are those of every name
// that starts with its first letter.
const STARTS_A_NAME_IN_TEAM = `((${keyStartsWith('family_key')}) or (${keyStartsWith('given_key')}))`;
const NEAR_A_NAME = `(lower(p.family_name) % ${A_WORD} or lower(p.given_name) % ${A_WORD})`;
// The ranking reads the names as family_key and given_key, the lower-case names Postgres keeps.
const STARTS_A_KEY = '(p.family_key like ? or p.given_key like ?)';
const IS_A_NAME = '(p.family_key = ? or p.given_key = ?)::int';
const SIMILARITY = 'greatest(similarity(p.family_key, ?), similarity(p.given_key, ?))';
// Names in the order of the name-start indexes (text_pattern_ops: by code point, whatever the
// database's collation), so a one-word search reads its page from them already in order.
const BY_NAME = 'p.family_key using ~<~, p.given_key using ~<~, p.id';
const SEARCH_ORDER = `match_rank, closeness desc, ${BY_NAME}`;

/** A piece of SQL and the values of its placeholders. */
type Sql = [sql: string, bindings: Knex.Value[]];

/**
 * How a person found is ranked (match_rank, then closeness, as SEARCH_ORDER reads them): an exact
 * council reference first, then people whose names start with every word typed, then near misses;
 * the closest spelling first within each (an exact "Smith" before "Smithers"), then by name.
 * `byReference` is SQL that is true for the person whose reference was typed.
 */
function ranking(db: DbOrTransaction, search: SearchValues, byReference: Sql) {
  const { words, reference } = search;
  const prefixes = words.flatMap(({ prefix }) => [prefix, prefix]);
  const pairs = words.flatMap(({ word }) => [word, word]);
  const startsEveryName = words.map(() => STARTS_A_KEY).join(' and ') || 'true';
  const rank = db.raw(`case ${reference ? `when ${byReference[0]} then 0 ` : ''}when ${startsEveryName} then 1 else 2 end as match_rank`, [
    ...(reference ? byReference[1] : []),
    ...prefixes,
  ]);
  // Among names that start with the words, those that are the words come first; only near misses
  // need the dearer similarity, which a common surname's thousand prefix matches never pay for.
  const closeness = db.raw(
    words.length === 0
      ? '0 as closeness'
      : `case when ${startsEveryName} then ${words.map(() => IS_A_NAME).join(' + ')} else ${words.map(() => SIMILARITY).join(' + ')} end as closeness`,
    [...prefixes, ...pairs, ...pairs],
  );
  return { rank, closeness, startsEveryName: [startsEveryName, prefixes] as Sql };
}

/** What each search gives of each person found: who, and (from `ranked`, the query that ranked them) how many were found and their rank. */
const foundColumns = (ranked: string) => [
  ...listingColumns,
  'p.family_key',
  'p.given_key',
  ...['total', 'match_rank', 'closeness'].map((column) => `${ranked}.${column}`),
];

/**
 * The search with near misses, ranked (ranking). A date of birth, NHS number and postcode must
 * match exactly. Only the first `limit` are read, each with the count of all matches.
 */
function nearMissesQuery(db: DbOrTransaction, search: SearchValues, limit: number) {
  const { words, reference } = search;
  const { rank, closeness } = ranking(db, search, ['upper(p.reference) = ?', reference ? [reference] : []]);
  const matches = filtered(db, search).select(
    ...listingColumns,
    'p.family_key',
    'p.given_key',
    'p.allocated_worker_id',
    db.raw('count(*) over () as total'),
    rank,
    closeness,
  );
  if (search.dateOfBirth) matches.where('p.date_of_birth', search.dateOfBirth);
  if (search.nhsNumber) matches.where('p.nhs_number', search.nhsNumber);
  // The same expression as the people_postcode index, so a postcode is found through it.
  if (search.postcode) matches.whereRaw("upper(replace(p.postcode, ' ', '')) = ?", [search.postcode]);
  if (words.length > 0) {
    const startsAName = ({ word, prefix, past }: SearchValues['words'][number]): Sql =>
      search.teamId && past !== undefined ? [STARTS_A_NAME_IN_TEAM, [word, past, word, past]] : [STARTS_A_NAME, [prefix, prefix]];
    const eachWord = words.map((word): Sql => {
      const [starts, bindings] = startsAName(word);
      return [`(${starts} or ${NEAR_A_NAME})`, [...bindings, word.word, word.word]];
    });
    const everyWord = eachWord.map(([sql]) => sql).join(' and ');
    const wordBindings = eachWord.flatMap(([, bindings]) => bindings);
    if (reference) matches.whereRaw(`(upper(p.reference) = ? or (${everyWord}))`, [reference, ...wordBindings]);
    else matches.whereRaw(everyWord, wordBindings);
  }
  // Written into the statement (each limit is a shape of its own), as A_WORD is not: as a value,
  // the plan for any limit costs more than the plan for this one, and would never be kept.
  matches.orderByRaw(SEARCH_ORDER).limit(limit, { skipBinding: true });
  return db
    .from(matches.as('p'))
    .join('teams as t', 't.id', 'p.team_id')
    .leftJoin('users as w', 'w.id', 'p.allocated_worker_id')
    .select(...foundColumns('p'), 't.name as team_name', 'w.display_name as worker_name');
}

/**
 * The least text after every text that starts with `word`, in the order of the name-start
 * indexes (text_pattern_ops: character by character, by code point): the word with its last
 * character moved on by one. None after the last character there is.
 */
export function pastEveryStartOf(word: string): string | undefined {
  const characters = [...word];
  const last = characters.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff) return undefined;
  // UTF-16's surrogates are not characters of their own: the next after them is U+E000.
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return characters.join('') + String.fromCodePoint(next);
}

/**
 * Those whose names start with the longest word typed, each once, as two ranges of the name-start
 * indexes' keys: the family name starts with it, or else the given name does.
 */
function startingWithLongest(search: SearchValues & { past: string }) {
  const starts = (column: 'family_key' | 'given_key'): Sql => [keyStartsWith(column), [search.longest, search.past]];
  const [family, familyBindings] = starts('family_key');
  const [given, givenBindings] = starts('given_key');
  return {
    byFamilyName: [family, familyBindings] as Sql,
    byGivenNameAlone: [`${given} and not (${family})`, [...givenBindings, ...familyBindings]] as Sql,
    byNeither: [`not (${family} or ${given})`, [...familyBindings, ...givenBindings]] as Sql,
  };
}

/** The people ranked by `ranked` (its id, total, match_rank and closeness), as each search gives them (foundColumns). */
function listingOfRanked(db: DbOrTransaction, ranked: Knex.QueryBuilder) {
  return db
    .from(ranked.as('r'))
    .join('people as p', 'p.id', 'r.id')
    .join('teams as t', 't.id', 'p.team_id')
    .leftJoin('users as w', 'w.id', 'p.allocated_worker_id')
    .select(...foundColumns('r'), 't.name as team_name', 'w.display_name as worker_name');
}

/**
 * Those among a team whose names start with every one of several words typed, ranked as the
 * search with near misses ranks them. The candidates are read from the team's name-start indexes
 * alone, by the longest word (the fewest to read) as a range of keys rather than LIKE, which a
 * prepared statement's plan can use whatever the word; so many matches are counted and ranked
 * without reading a row, and only the first `limit` are read.
 */
function nameStartsQuery(db: DbOrTransaction, search: SearchValues & { teamId: number; past: string }, limit: number) {
  const { byFamilyName, byGivenNameAlone } = startingWithLongest(search);
  const candidates = () => filtered(db, search).select('p.id', 'p.family_key', 'p.given_key');
  const branches = [candidates().whereRaw(...byFamilyName), candidates().whereRaw(...byGivenNameAlone)];
  const found = db.from(db.raw('(? union all ?) as p', branches)).select('p.*');
  const { rank, closeness, startsEveryName } = ranking(db, search, ['false', []]);
  const ranked = db
    .from(found.as('p'))
    .select('p.id', 'p.family_key', 'p.given_key', db.raw('count(*) over () as total'), rank, closeness)
    .whereRaw(...startsEveryName)
    .orderByRaw(SEARCH_ORDER)
    .limit(limit);
  return listingOfRanked(db, ranked);
}

/**
 * How far a search that reads names from the name-start indexes counts them: past it, the page says
 * "more than". A care manager narrows a search that finds a hundred rather than reads through it,
 * and counting all of a team's 804 Pikes was a third of that search's time in Postgres.
 */
export const SEARCH_COUNTED_UP_TO = 100;

/** How many `query` finds, counted up to one past SEARCH_COUNTED_UP_TO. */
function countedUpTo(db: DbOrTransaction, query: Knex.QueryBuilder) {
  return db
    .from(
      query
        .select(db.raw('1'))
        .limit(SEARCH_COUNTED_UP_TO + 1)
        .as('counted'),
    )
    .count();
}

/**
 * Those among a team whose given or family name starts with the one word typed, and the one whose
 * council reference it is, ranked as ranking() ranks them: the reference, then the names that are
 * the word, then by name. Each kind of name below is read from a name-start index already in that
 * order, so only a page of each is read, where sorting a common surname's 800 to find the first 20
 * was most of the search's work. The count is of the indexes' ranges alone, up to SEARCH_COUNTED_UP_TO.
 */
function oneWordStartsQuery(db: DbOrTransaction, search: SearchValues & { teamId: number; past: string }, limit: number) {
  const { longest: word, reference } = search;
  const { byFamilyName, byGivenNameAlone, byNeither } = startingWithLongest(search);
  const byReference = (typed: string) => filtered(db, search).whereRaw('upper(p.reference) = ?', [typed]);
  const inNameOrder = (closeness: number, [where, bindings]: Sql) => {
    const names = filtered(db, search)
      .select('p.id', 'p.family_key', 'p.given_key', db.raw(`1 as match_rank, ${closeness}::real as closeness`))
      .whereRaw(where, bindings)
      .orderByRaw(BY_NAME)
      .limit(limit);
    // The person whose reference it is ranks first whatever their name, so is read there only.
    if (reference) names.whereRaw('p.id is distinct from (?)', [byReference(reference).select('p.id')]);
    return names;
  };
  // Each person is of one kind only: a name that is the word, or (when neither is) one that starts with it.
  const kinds = [
    inNameOrder(1, [`p.family_key = ${A_WORD}`, [word]]),
    inNameOrder(1, [`p.given_key = ${A_WORD} and p.family_key <> ${A_WORD}`, [word, word]]),
    inNameOrder(0, [`p.family_key ~>~ ${A_WORD} and p.family_key ~<~ ${A_WORD} and p.given_key <> ${A_WORD}`, [word, search.past, word]]),
    inNameOrder(0, [
      `p.given_key ~>~ ${A_WORD} and p.given_key ~<~ ${A_WORD} and not (${byFamilyName[0]})`,
      [word, search.past, ...byFamilyName[1]],
    ]),
  ];
  const counts = [byFamilyName, byGivenNameAlone].map((names) => countedUpTo(db, filtered(db, search).whereRaw(...names)));
  if (reference) {
    kinds.unshift(byReference(reference).select('p.id', 'p.family_key', 'p.given_key', db.raw('0 as match_rank, 0::real as closeness')));
    counts.push(countedUpTo(db, byReference(reference).whereRaw(...byNeither)));
  }
  const ranked = db
    .from(db.raw(`(${kinds.map(() => '?').join(' union all ')}) as p`, kinds))
    .select('p.*', db.raw(`${counts.map(() => '(?)').join(' + ')} as total`, counts))
    .orderByRaw(SEARCH_ORDER)
    .limit(limit);
  return listingOfRanked(db, ranked);
}

/**
 * What a search binds: what was typed, and what is worked out from it. The statement's text
 * depends only on which of these there are (shapeOf), never on what they are.
 */
type SearchValues = PersonFilter &
  Omit<SearchTerms, 'words'> & {
    /** Each word typed, as a LIKE pattern for the names that start with it, and the least text past those names. */
    words: readonly { word: string; prefix: string; past: string | undefined }[];
    /** The longest word, whose names are read from the name-start indexes, up to past. */
    longest: string;
    past: string | undefined;
  };

function valuesOf(search: PeopleSearch): SearchValues {
  const longest = search.words.reduce((chosen, word) => (word.length > chosen.length ? word : chosen), '');
  return {
    ...search,
    words: search.words.map((word) => ({ word, prefix: likePrefix(word), past: pastEveryStartOf(word) })),
    longest,
    past: pastEveryStartOf(longest),
  };
}

/** What a search returns of each person found: what the page shows, and how many were found. The ranking's columns stay in Postgres. */
const shownColumns = [...listingColumns, 'p.total', 'p.team_name', 'p.worker_name'];

/**
 * The query for a search. A search of a team by name alone first ranks those whose names start
 * with the words (oneWordStartsQuery, or nameStartsQuery for several words, which never come
 * with a reference: parseSearch reads one only from a word alone). When they fill the page, near
 * misses would all rank after them, so Postgres skips looking for them, and the count is of those
 * names: looking for near misses was most of the work of a common surname's search. Otherwise the
 * search with near misses runs, in the same statement.
 */
function searchStatementOf(db: DbOrTransaction, search: SearchValues, limit: number) {
  const { teamId, past } = search;
  const byNameInATeam =
    teamId !== undefined &&
    past !== undefined &&
    !search.dateOfBirth &&
    !search.nhsNumber &&
    !search.postcode &&
    (search.words.length === 1 || !search.reference);
  if (!byNameInATeam)
    return db
      .from(nearMissesQuery(db, search, limit).as('p'))
      .select(...shownColumns)
      .orderByRaw(SEARCH_ORDER);
  const enough = db.raw('coalesce((select max(total) from name_starts), 0) >= ?', [limit]);
  const found = db
    .select('*')
    .from('name_starts')
    .where(enough)
    .unionAll(
      db
        .select('*')
        .from(nearMissesQuery(db, search, limit).as('near'))
        .whereNot(enough),
    );
  return db
    .with('name_starts', (search.words.length === 1 ? oneWordStartsQuery : nameStartsQuery)(db, { ...search, teamId, past }, limit))
    .from(found.as('p'))
    .select(...shownColumns)
    .orderByRaw(SEARCH_ORDER);
}

/** The query for a search as Knex builds it at every search, which searchStatement gives compiled. */
export function searchQuery(db: DbOrTransaction, search: PeopleSearch, limit: number) {
  return searchStatementOf(db, valuesOf(search), limit);
}

/** Which of its values a search has: everything searchStatementOf and its parts decide by, and so its statement. */
function shapeOf(search: SearchValues, limit: number): string {
  const { words, reference, dateOfBirth, nhsNumber, postcode, teamId, clientGroup } = search;
  // Whether each word has a range past it: the longest word's (past) among them.
  return JSON.stringify([
    words.map((word) => word.past !== undefined),
    teamId !== undefined,
    limit,
    ...[reference, dateOfBirth, nhsNumber, postcode, teamId, clientGroup].map(Boolean),
  ]);
}

/** Put in for each value when a shape of search is compiled, and found again among the bindings. */
const STAND_IN = '\u0000stand-in:';
/** No team has this id, and no constant in the statement is this number. */
const STAND_IN_TEAM = -2_147_483_646;

/** A search of the same shape whose every value is a stand-in that names it. */
function standInsFor(search: SearchValues): SearchValues {
  const standIn = (name: keyof SearchValues, given: unknown) => (given ? `${STAND_IN}${name}` : undefined);
  return {
    words: search.words.map((word, index) => ({
      word: `${STAND_IN}word:${index}`,
      prefix: `${STAND_IN}prefix:${index}`,
      past: word.past === undefined ? undefined : `${STAND_IN}wordPast:${index}`,
    })),
    longest: `${STAND_IN}longest`,
    past: search.past === undefined ? undefined : `${STAND_IN}past`,
    reference: standIn('reference', search.reference),
    dateOfBirth: standIn('dateOfBirth', search.dateOfBirth),
    nhsNumber: standIn('nhsNumber', search.nhsNumber),
    postcode: standIn('postcode', search.postcode),
    teamId: search.teamId === undefined ? undefined : search.teamId ? STAND_IN_TEAM : search.teamId,
    clientGroup: standIn('clientGroup', search.clientGroup) as PersonClientGroup | undefined,
  };
}

/** The search's value a binding stands in for; nothing for a constant. */
function slotFor(binding: Knex.Value): Slot<SearchValues> | undefined {
  if (binding === STAND_IN_TEAM) return (search) => search.teamId ?? null;
  if (typeof binding !== 'string' || !binding.includes(STAND_IN)) return undefined;
  // A value changed in the building would keep its stand-in: work it out in valuesOf instead.
  if (!binding.startsWith(STAND_IN)) throw new Error('A search value is changed where the statement is built');
  const [name, index] = binding.slice(STAND_IN.length).split(':') as [string, string | undefined];
  if (name === 'word') return (search) => search.words[Number(index)]?.word ?? null;
  if (name === 'prefix') return (search) => search.words[Number(index)]?.prefix ?? null;
  if (name === 'wordPast') return (search) => search.words[Number(index)]?.past ?? null;
  const key = name as 'longest' | 'past' | 'reference' | 'dateOfBirth' | 'nhsNumber' | 'postcode' | 'clientGroup';
  return (search) => search[key] ?? null;
}

const compiledSearches = new Map<string, ReturnType<typeof compiledWithStandIns<SearchValues>>>();

/**
 * The statement the app runs for a search, with its bindings and its prepared statement's name.
 * Building and compiling the query with Knex took a sixth of a search's time in the app, so each
 * shape of search is compiled once, with stand-ins for its values (as readTogetherById does for
 * an id), and each search only puts its values in. Prepared, so Postgres plans each shape once a
 * connection too.
 */
export function searchStatement(db: DbOrTransaction, search: PeopleSearch, limit: number) {
  const values = valuesOf(search);
  const shape = shapeOf(values, limit);
  let compiled = compiledSearches.get(shape);
  if (!compiled) {
    compiled = compiledWithStandIns(searchStatementOf(db, standInsFor(values), limit), slotFor);
    compiledSearches.set(shape, compiled);
  }
  return { sql: compiled.sql, name: compiled.name, bindings: compiled.bindingsFor(values) };
}

/** The closest `limit` people the search finds, and how many it finds in all. */
export async function searchPeople(db: DbOrTransaction, search: PeopleSearch, limit: number) {
  const { sql, bindings, name } = searchStatement(db, search, limit);
  const { rows } = (await db.raw(sql, bindings).options({ name })) as { rows: (PersonListRow & { total: number })[] };
  return { rows: rows.map(toListing), total: rows[0]?.total ?? 0 };
}

export async function findPerson(db: DbOrTransaction, id: number): Promise<Person | undefined> {
  const row = await db<PersonRow>('people').where({ id }).first();
  return row && toPerson(row);
}

/** A person with the names their page shows beside them: their team's, and their allocated worker's even if the worker has left. */
export function personWithNamesQuery(db: DbOrTransaction, id: number) {
  return db('people as p')
    .join('teams as t', 't.id', 'p.team_id')
    .leftJoin('users as w', 'w.id', 'p.allocated_worker_id')
    .where('p.id', id)
    .select('p.*', 't.name as team_name', 'w.display_name as worker_name');
}

export type PersonWithNamesRow = PersonRow & { team_name: string; worker_name: string | null };

export function toPersonWithNames(row: PersonWithNamesRow): { person: Person; teamName: string; workerName: string | null } {
  return { person: toPerson(row), teamName: row.team_name, workerName: row.worker_name };
}

export async function findPersonForUpdate(db: DbOrTransaction, id: number): Promise<Person | undefined> {
  const row = await db<PersonRow>('people').where({ id }).forUpdate().first();
  return row && toPerson(row);
}

export async function referenceTaken(db: DbOrTransaction, reference: string, exceptId?: number): Promise<boolean> {
  const query = db('people').whereRaw('upper(reference) = upper(?)', [reference]);
  if (exceptId) query.whereNot({ id: exceptId });
  return Boolean(await query.first('id'));
}

/** The next number of the council's reference sequence: never the same twice, whoever asks at once. */
export async function nextReferenceNumber(db: DbOrTransaction): Promise<number> {
  const result = (await db.raw("select nextval('person_reference_numbers') as number")) as { rows: { number: string }[] };
  return Number(result.rows[0]?.number);
}

/** Someone already on record who may be the person being added, and which rule found them. */
export type PossibleDuplicate = Pick<Person, 'id' | 'reference' | 'givenName' | 'familyName' | 'dateOfBirth' | 'teamId'> & {
  teamName: string;
  sameName: boolean;
  samePostcode: boolean;
};

/** Most a duplicate check shows: more than this and the details typed are too common to tell anyone apart. */
const MOST_DUPLICATES = 20;

/**
 * Everyone in any team with the same name (any case) and date of birth, or the same date of birth
 * and postcode (however spaced): found through the date of birth index.
 */
export async function possibleDuplicates(
  db: DbOrTransaction,
  person: Pick<PersonDetails, 'givenName' | 'familyName' | 'dateOfBirth' | 'postcode'>,
): Promise<PossibleDuplicate[]> {
  const sameName = 'lower(p.given_name) = lower(?) and lower(p.family_name) = lower(?)';
  const samePostcode = "upper(replace(p.postcode, ' ', '')) = upper(replace(?, ' ', ''))";
  const names = [person.givenName, person.familyName];
  const rows = (await db('people as p')
    .join('teams as t', 't.id', 'p.team_id')
    .where('p.date_of_birth', person.dateOfBirth)
    .whereRaw(`((${sameName}) or ${samePostcode})`, [...names, person.postcode])
    .select(
      'p.id',
      'p.reference',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.team_id',
      't.name as team_name',
      db.raw(`(${sameName}) as same_name`, names),
      db.raw(`${samePostcode} as same_postcode`, [person.postcode]),
    )
    .orderBy(['p.family_name', 'p.given_name', 'p.id'])
    .limit(MOST_DUPLICATES)) as (Pick<PersonRow, 'id' | 'reference' | 'given_name' | 'family_name' | 'date_of_birth' | 'team_id'> & {
    team_name: string;
    same_name: boolean;
    same_postcode: boolean;
  })[];
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    teamId: row.team_id,
    teamName: row.team_name,
    sameName: row.same_name,
    samePostcode: row.same_postcode,
  }));
}

export async function insertPerson(db: DbOrTransaction, person: PersonDetails): Promise<Person> {
  const [row] = (await db('people').insert(columnsOf(person)).returning('*')) as PersonRow[];
  return toPerson(row as PersonRow);
}

/** Updates only when the version is the one the user saw; returns undefined when it is not. */
export async function updatePerson(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: Partial<PersonDetails>,
): Promise<Person | undefined> {
  const [row] = (await db('people')
    .where({ id, version: expectedVersion })
    .update({ ...columnsOf(changes), version: db.raw('version + 1'), updated_at: db.fn.now() })
    .returning('*')) as PersonRow[];
  return row && toPerson(row);
}

export type Worker = { id: number; displayName: string };

/** The care and team managers a team's people can be allocated to. */
export async function teamWorkers(db: DbOrTransaction, teamId: number): Promise<Worker[]> {
  const rows = (await db('users')
    .where({ team_id: teamId, active: true })
    .whereIn('role', ['care_manager', 'team_manager'])
    .orderBy('display_name')
    .select('id', 'display_name')) as { id: number; display_name: string }[];
  return rows.map((row) => ({ id: row.id, displayName: row.display_name }));
}

export async function userDisplayName(db: DbOrTransaction, id: number): Promise<string | null> {
  const row = (await db('users').where({ id }).first('display_name')) as { display_name: string } | undefined;
  return row?.display_name ?? null;
}

export async function listTeams(db: DbOrTransaction) {
  return (await db('teams').orderBy('name').select('id', 'name')) as { id: number; name: string }[];
}
