import { realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { determineEligibility } from '../src/assessments/eligibility.js';
import { hashPassword } from '../src/auth/passwords.js';
import { demoLogins } from './demo.js';
import { londonToday, systemClock, type Clock } from '../src/clock.js';
import { withCommandDatabase } from '../src/db/database.js';
import type { PricedClientGroup } from '../src/ras/definition.js';
import { compileDefinition, roundHalfUpSafe, scoreAssessment } from '../src/ras/engine.js';
import { findRasVersionInForce, loadRasDefinition } from '../src/ras/repo.js';
import { ensureDefaultRas } from '../src/ras/service.js';
import { answersForNeed, eligibilityFactsFor, noHelpOptionsOf, pick, seededRandom, shiftDays } from './random.js';

/**
 * A large council for benchmarks: `npm run seed:scale -- --people 100000`. People get council
 * references SC-000001 upwards, so the data sits beside the demo data and a second run only tops
 * up to the number asked for. Every person has a submitted assessment scored with the published
 * RAS; about a third have an approved personal budget and a few a plan waiting for finance
 * sign-off. Each of the eight teams has one care manager holding its whole caseload and a team
 * manager, as the page benchmark needs. Rows go in as batches through unnest()
 * (one array parameter per column), the quickest bulk insert without a COPY library.
 * Deliberately lean: no audit events and no eligibility facts on the assessments (the eligible
 * column is set from facts worked out here), since the benchmarks measure the RAS.
 */

export const SCALE_PASSWORD = 'Selfdirect-scale-2026';
export const scaleAdminEmail = 'scale.admin@example.gov.uk';
export const scaleFinanceEmail = 'scale.finance@example.gov.uk';
/** Each team's one care manager holds the whole team's caseload: 12,500 people at 100,000. */
export const scaleWorkerEmail = (team: number) => `scale.worker.${team}@example.gov.uk`;
export const scaleManagerEmail = (team: number) => `scale.manager.${team}@example.gov.uk`;
const TEAMS = 8;
const BATCH = 5_000;
/** One person in a thousand has this family name, so a search for a rare surname has a few hundred answers, not thousands. */
export const RARE_FAMILY_NAME = 'Okafor';
/** One person in this many of those with eligible needs and no budget has a plan waiting for finance sign-off. */
const WAITING_FOR_SIGN_OFF_EVERY = 100;

/** Roughly the mix of adult social care caseloads: mostly older people, about one in eight a carer. */
const groupWeights: [PricedClientGroup | 'carer', number][] = [
  ['older_people', 0.44],
  ['learning_disability', 0.14],
  ['physical_disability', 0.15],
  ['mental_health', 0.1],
  ['sensory_impairment', 0.05],
  ['carer', 0.12],
];
/** Approved against indicative by group, as Wirral found for the first two. */
const approvedFactor: Record<PricedClientGroup, number> = {
  older_people: 0.66,
  learning_disability: 1.26,
  physical_disability: 1.04,
  mental_health: 0.93,
  sensory_impairment: 1,
};

const givenNames = [
  'Ann',
  'Brian',
  'Carol',
  'Dev',
  'Elaine',
  'Frank',
  'Gita',
  'Hugh',
  'Iris',
  'Joe',
  'Kath',
  'Leon',
  'Mina',
  'Neil',
  'Orla',
  'Paul',
];
const familyNames = [
  'Archer',
  'Bibi',
  'Cooper',
  'Dean',
  'Eaton',
  'Frost',
  'Grant',
  'Hale',
  'Islam',
  'Judd',
  'Kerr',
  'Lamb',
  'Mann',
  'Nash',
  'Oakes',
  'Pike',
];

type Column = { name: string; type: string };

/** INSERT ... SELECT FROM unnest(arrays): one parameter per column however many rows. */
async function bulkInsert<R>(
  db: Knex | Knex.Transaction,
  table: string,
  columns: Column[],
  rows: unknown[][],
  returning: string[] = [],
): Promise<R[]> {
  if (rows.length === 0) return [];
  const arrays = columns.map((_, index) => rows.map((row) => row[index] ?? null));
  const sql =
    `insert into ${table} (${columns.map((column) => column.name).join(', ')}) ` +
    `select * from unnest(${columns.map((column) => `?::${column.type}[]`).join(', ')})` +
    (returning.length > 0 ? ` returning ${returning.join(', ')}` : '');
  // Each binding is a whole column: node-postgres sends a JavaScript array as one Postgres array.
  const result = (await db.raw(sql, arrays as unknown as readonly Knex.RawBinding[])) as { rows: R[] };
  return result.rows;
}

async function ensureTeamsAndUsers(db: Knex) {
  const names = Array.from({ length: TEAMS }, (_, index) => `Scale team ${index + 1}`);
  const existingTeams = (await db('teams').whereIn('name', names).select('id', 'name')) as { id: number; name: string }[];
  const missing = names.filter((name) => !existingTeams.some((team) => team.name === name));
  if (missing.length > 0)
    existingTeams.push(
      ...((await db('teams')
        .insert(missing.map((name) => ({ name })))
        .returning(['id', 'name'])) as { id: number; name: string }[]),
    );
  const teams = names.map((name) => existingTeams.find((team) => team.name === name) as { id: number; name: string });

  const wanted = [
    ...teams.map((team, index) => ({
      email: scaleWorkerEmail(index + 1),
      display_name: `Scale worker ${index + 1}`,
      role: 'care_manager',
      team_id: team.id,
    })),
    ...teams.map((team, index) => ({
      email: scaleManagerEmail(index + 1),
      display_name: `Scale team manager ${index + 1}`,
      role: 'team_manager',
      team_id: team.id,
    })),
    { email: scaleFinanceEmail, display_name: 'Scale finance officer', role: 'finance_officer', team_id: null },
    { email: scaleAdminEmail, display_name: 'Scale administrator', role: 'admin', team_id: null },
  ];
  const existingUsers = (await db('users')
    .whereIn(
      'email',
      wanted.map((user) => user.email),
    )
    .select('id', 'email')) as { id: number; email: string }[];
  const newUsers = wanted.filter((user) => !existingUsers.some((existing) => existing.email === user.email));
  if (newUsers.length > 0) {
    const passwordHash = await hashPassword(SCALE_PASSWORD);
    existingUsers.push(
      ...((await db('users')
        .insert(
          // Enrolled with the demo secret, like the demo accounts: this is a data set for trying the app at size, never a council's.
          newUsers.map((user) => ({
            ...user,
            password_hash: passwordHash,
            totp_secret: demoLogins.totpSecret,
            totp_enrolled_at: new Date(),
          })),
        )
        .returning(['id', 'email'])) as { id: number; email: string }[]),
    );
  }
  const userId = (email: string) => (existingUsers.find((user) => user.email === email) as { id: number }).id;
  return {
    teams: teams.map((team, index) => ({ teamId: team.id, workerId: userId(scaleWorkerEmail(index + 1)) })),
    financeId: userId(scaleFinanceEmail),
  };
}

function weightedGroup(random: () => number): PricedClientGroup | 'carer' {
  let roll = random();
  for (const [group, weight] of groupWeights) {
    roll -= weight;
    if (roll < 0) return group;
  }
  return 'older_people';
}

/** Tops the scale data set up to `people` people; returns how many were added. */
export async function seedScale(
  db: Knex,
  clock: Clock,
  options: { people: number; log?: (message: string) => void },
): Promise<{ added: number; total: number }> {
  const log = options.log ?? (() => undefined);
  const published = await findRasVersionInForce(db, londonToday(clock));
  const definition = published ? await loadRasDefinition(db, published.id) : undefined;
  if (!published || !definition) throw new Error('seed:scale needs a published RAS');
  const compiled = compileDefinition(definition);
  const noHelp = noHelpOptionsOf(definition);
  const { teams, financeId } = await ensureTeamsAndUsers(db);
  const [{ count }] = (await db('people').where('reference', 'like', 'SC-%').count({ count: '*' })) as [{ count: string | number }];
  const already = Number(count);
  const today = londonToday(clock);
  // Seeded by where the run starts, so topping up continues the same deterministic council.
  const random = seededRandom(100_003 + already);

  for (let start = already; start < options.people; start += BATCH) {
    const end = Math.min(options.people, start + BATCH);
    await db.transaction(async (trx) => {
      const people: unknown[][] = [];
      const generated: { group: PricedClientGroup | 'carer'; team: (typeof teams)[number]; need: number }[] = [];
      for (let n = start + 1; n <= end; n += 1) {
        const group = weightedGroup(random);
        const team = teams[n % teams.length] as (typeof teams)[number];
        const age = group === 'older_people' ? 65 + Math.floor(random() * 30) : 18 + Math.floor(random() * 47);
        const givenName = pick(random, givenNames);
        // Drawn for the rare name too, so it leaves the rest of the generated council as it was.
        const familyName = pick(random, familyNames);
        people.push([
          `SC-${String(n).padStart(6, '0')}`,
          givenName,
          n % 1000 === 7 ? RARE_FAMILY_NAME : familyName,
          shiftDays(today, -(age * 365 + Math.floor(random() * 365))),
          'LS1 4AP',
          group,
          team.teamId,
          team.workerId,
          shiftDays(today, -Math.floor(60 + random() * 700)),
        ]);
        // Most people need a moderate amount of help; a few a great deal.
        generated.push({ group, team, need: 0.05 + 0.85 * random() ** 1.4 });
      }
      const insertedPeople = await bulkInsert<{ id: number; reference: string }>(
        trx,
        'people',
        [
          { name: 'reference', type: 'text' },
          { name: 'given_name', type: 'text' },
          { name: 'family_name', type: 'text' },
          { name: 'date_of_birth', type: 'date' },
          { name: 'postcode', type: 'text' },
          { name: 'client_group', type: 'text' },
          { name: 'team_id', type: 'int' },
          { name: 'allocated_worker_id', type: 'int' },
          { name: 'referral_date', type: 'date' },
        ],
        people,
        ['id', 'reference'],
      );
      const personIdByReference = new Map(insertedPeople.map((row) => [row.reference, row.id]));

      const assessments: unknown[][] = [];
      const scored: {
        personId: number;
        group: PricedClientGroup | 'carer';
        annualPence: number;
        weeklyPence: number;
        eligible: boolean;
        workerId: number;
        submittedOn: string;
      }[] = [];
      generated.forEach((person, index) => {
        const personId = personIdByReference.get(String((people[index] as unknown[])[0])) as number;
        const isCarer = person.group === 'carer';
        const answers = answersForNeed(definition, random, person.need, { withAdjustments: !isCarer });
        const result = scoreAssessment(
          compiled,
          { assessmentType: isCarer ? 'carer' : 'person', clientGroup: person.group, answers },
          { explain: false },
        );
        const eligible = isCarer ? null : determineEligibility(eligibilityFactsFor(answers, noHelp)).eligible;
        const submittedOn = shiftDays(today, -Math.floor(random() * 600));
        const at = `${submittedOn}T11:00:00Z`;
        assessments.push([
          personId,
          isCarer ? 'carer' : 'person',
          person.group,
          published.id,
          'submitted',
          JSON.stringify(answers),
          eligible,
          person.team.workerId,
          at,
          at,
          person.team.workerId,
          at,
          result.rawPoints,
          JSON.stringify(result.domainPoints),
          result.modifierPercent,
          result.annualPence,
          result.weeklyPence,
          result.belowThreshold,
          result.exceedsCeiling,
        ]);
        scored.push({
          personId,
          group: person.group,
          annualPence: result.annualPence,
          weeklyPence: result.weeklyPence,
          eligible: eligible === true,
          workerId: person.team.workerId,
          submittedOn,
        });
      });
      const insertedAssessments = await bulkInsert<{ id: number; person_id: number }>(
        trx,
        'assessments',
        [
          { name: 'person_id', type: 'int' },
          { name: 'assessment_type', type: 'text' },
          { name: 'client_group', type: 'text' },
          { name: 'ras_version_id', type: 'int' },
          { name: 'status', type: 'text' },
          { name: 'answers', type: 'jsonb' },
          { name: 'eligible', type: 'boolean' },
          { name: 'started_by', type: 'int' },
          { name: 'started_at', type: 'timestamptz' },
          { name: 'updated_at', type: 'timestamptz' },
          { name: 'submitted_by', type: 'int' },
          { name: 'submitted_at', type: 'timestamptz' },
          { name: 'raw_points', type: 'int' },
          { name: 'domain_points', type: 'jsonb' },
          { name: 'modifier_percent', type: 'int' },
          { name: 'annual_pence', type: 'bigint' },
          { name: 'weekly_pence', type: 'bigint' },
          { name: 'below_threshold', type: 'boolean' },
          { name: 'exceeds_ceiling', type: 'boolean' },
        ],
        assessments,
        ['id', 'person_id'],
      );
      const assessmentIdByPerson = new Map(insertedAssessments.map((row) => [row.person_id, row.id]));

      // About a third of eligible people with an indicative budget have a budget approved, above
      // or below the indicative figure as their group tends to be, with some spread.
      const funded = scored.filter((person) => person.group !== 'carer' && person.eligible && person.annualPence > 0 && random() < 0.35);
      const fundedIds = new Set(funded.map((person) => person.personId));
      // The finance queue: a plan submitted on the day of the assessment, not yet signed off.
      const waiting = scored.filter(
        (person, index) =>
          (start + index) % WAITING_FOR_SIGN_OFF_EVERY === 0 &&
          person.group !== 'carer' &&
          person.eligible &&
          person.annualPence > 0 &&
          !fundedIds.has(person.personId),
      );
      const plans = [
        ...funded.map((person) => [
          person.personId,
          assessmentIdByPerson.get(person.personId),
          'approved',
          person.annualPence,
          person.weeklyPence,
          definition.ceilingPence,
          person.workerId,
          null,
          financeId,
          `${shiftDays(person.submittedOn, 14)}T15:00:00Z`,
          person.workerId,
        ]),
        ...waiting.map((person) => [
          person.personId,
          assessmentIdByPerson.get(person.personId),
          'submitted',
          person.annualPence,
          person.weeklyPence,
          definition.ceilingPence,
          person.workerId,
          `${person.submittedOn}T16:00:00Z`,
          null,
          null,
          person.workerId,
        ]),
      ];
      const insertedPlans = await bulkInsert<{ id: number; person_id: number }>(
        trx,
        'support_plans',
        [
          { name: 'person_id', type: 'int' },
          { name: 'assessment_id', type: 'int' },
          { name: 'status', type: 'text' },
          { name: 'indicative_annual_pence', type: 'bigint' },
          { name: 'indicative_weekly_pence', type: 'bigint' },
          { name: 'ceiling_pence', type: 'bigint' },
          { name: 'submitted_by', type: 'int' },
          { name: 'submitted_at', type: 'timestamptz' },
          { name: 'approved_by', type: 'int' },
          { name: 'approved_at', type: 'timestamptz' },
          { name: 'created_by', type: 'int' },
        ],
        plans,
        ['id', 'person_id'],
      );
      const planIdByPerson = new Map(insertedPlans.map((row) => [row.person_id, row.id]));
      const budgets = funded.map((person) => {
        const factor = approvedFactor[person.group as PricedClientGroup] * (0.85 + 0.3 * random());
        const weekly = roundHalfUpSafe(Math.round(person.annualPence * factor), 52);
        return [
          person.personId,
          planIdByPerson.get(person.personId),
          assessmentIdByPerson.get(person.personId),
          shiftDays(person.submittedOn, 21),
          weekly,
          weekly * 52,
          weekly,
          weekly * 52,
          weekly,
          weekly,
          financeId,
          `${shiftDays(person.submittedOn, 14)}T15:00:00Z`,
        ];
      });
      await bulkInsert(
        trx,
        'personal_budgets',
        [
          { name: 'person_id', type: 'int' },
          { name: 'plan_id', type: 'int' },
          { name: 'assessment_id', type: 'int' },
          { name: 'start_date', type: 'date' },
          { name: 'weekly_pence', type: 'bigint' },
          { name: 'annual_pence', type: 'bigint' },
          { name: 'planned_weekly_pence', type: 'bigint' },
          { name: 'planned_annual_pence', type: 'bigint' },
          { name: 'individual_budget_weekly_pence', type: 'bigint' },
          { name: 'council_managed_weekly_pence', type: 'bigint' },
          { name: 'approved_by', type: 'int' },
          { name: 'approved_at', type: 'timestamptz' },
        ],
        budgets,
      );
    });
    log(`  ${end.toLocaleString('en-GB')} people`);
  }
  // Fresh statistics, so the first report after a big load is planned on the real table sizes.
  await db.raw('analyze people, assessments, support_plans, personal_budgets');
  return { added: Math.max(0, options.people - already), total: Math.max(options.people, already) };
}

function peopleArgument(args: readonly string[]): number {
  const index = args.indexOf('--people');
  const value = index === -1 ? '100000' : args[index + 1];
  const people = Number(value);
  if (!Number.isSafeInteger(people) || people < 1 || people > 5_000_000) {
    throw new Error(`--people must be a whole number from 1 to 5,000,000, not ${String(value)}`);
  }
  return people;
}

async function main(): Promise<void> {
  const people = peopleArgument(process.argv.slice(2));
  await withCommandDatabase(async (db) => {
    await ensureDefaultRas(db, systemClock);
    const started = performance.now();
    console.log(`Generating up to ${people.toLocaleString('en-GB')} people (references SC-...)`);
    const { added, total } = await seedScale(db, systemClock, { people, log: console.log });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Added ${added.toLocaleString('en-GB')} people in ${seconds} s; ${total.toLocaleString('en-GB')} scale people in all.`);
    console.log(`Sign in as ${scaleAdminEmail} with password ${SCALE_PASSWORD}, then the code from npm run --silent demo:code`);
  });
}

const scriptPath = process.argv[1];
const runDirectly = scriptPath !== undefined && (await realpath(scriptPath).catch(() => scriptPath)) === fileURLToPath(import.meta.url);
if (runDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
