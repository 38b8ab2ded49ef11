import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import { hashPassword } from '../auth/passwords.js';
import type { Actor } from '../auth/roles.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { listTeams } from '../people/repo.js';
import {
  deleteSessionsOf,
  emailTaken,
  findUserAccount,
  insertTeam,
  insertUser,
  listUsers,
  teamExists,
  teamNameTaken,
  teamSizes,
  updateUser,
  type UserAccount,
} from './repo.js';
import type { EditUserInput, NewUserInput } from './schemas.js';

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError();
}

export function adminService(db: Knex) {
  async function checkTeam(trx: Knex.Transaction, teamId: number | null): Promise<void> {
    if (teamId !== null && !(await teamExists(trx, teamId))) throw new RuleError('Select a team', 'teamId');
  }

  return {
    listUsers: () => listUsers(db),
    teams: () => listTeams(db),
    teamSizes: () => teamSizes(db),

    async user(id: number): Promise<UserAccount> {
      const user = await findUserAccount(db, id);
      if (!user) throw new NotFoundError('User');
      return user;
    },

    async createUser(actor: Actor, input: NewUserInput): Promise<number> {
      requireAdmin(actor);
      const passwordHash = await hashPassword(input.password);
      return db
        .transaction(async (trx) => {
          if (await emailTaken(trx, input.email)) throw new RuleError('A user with this email address already exists', 'email');
          await checkTeam(trx, input.teamId);
          const id = await insertUser(trx, {
            email: input.email,
            displayName: input.displayName,
            passwordHash,
            role: input.role,
            teamId: input.teamId,
          });
          await recordEvent(trx, actor, {
            action: 'user_created',
            entityType: 'user',
            entityId: id,
            after: { email: input.email, display_name: input.displayName, role: input.role, team_id: input.teamId },
          });
          return id;
        })
        .catch((error: unknown) => {
          // Two admins adding the same address at once: the unique index decides, and the loser gets the same message.
          if ((error as { code?: string }).code === '23505') throw new RuleError('A user with this email address already exists', 'email');
          throw error;
        });
    },

    async updateUser(actor: Actor, id: number, input: EditUserInput): Promise<void> {
      requireAdmin(actor);
      if (id === actor.id && (!input.active || input.role !== 'admin')) {
        throw new RuleError('You cannot remove your own administrator access', 'role');
      }
      await db.transaction(async (trx) => {
        const before = await findUserAccount(trx, id, true);
        if (!before) throw new NotFoundError('User');
        if (before.version !== input.version) throw new StaleVersionError('user', before);
        await checkTeam(trx, input.teamId);
        const changes = { displayName: input.displayName, role: input.role, teamId: input.teamId, active: input.active };
        if (!(await updateUser(trx, id, input.version, changes))) throw new StaleVersionError('user', before);
        if (!input.active) await deleteSessionsOf(trx, id);
        // The trail keeps the columns' names, as every other event in it does.
        await recordEvent(trx, actor, {
          action: before.active && !input.active ? 'user_deactivated' : 'user_updated',
          entityType: 'user',
          entityId: id,
          before: { display_name: before.displayName, role: before.role, team_id: before.teamId, active: before.active },
          after: { display_name: changes.displayName, role: changes.role, team_id: changes.teamId, active: changes.active },
        });
      });
    },

    async createTeam(actor: Actor, name: string): Promise<number> {
      requireAdmin(actor);
      return db.transaction(async (trx) => {
        if (await teamNameTaken(trx, name)) throw new RuleError('A team with this name already exists', 'name');
        const id = await insertTeam(trx, name);
        await recordEvent(trx, actor, { action: 'team_created', entityType: 'team', entityId: id, after: { name } });
        return id;
      });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
