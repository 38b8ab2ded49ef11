import type { Knex } from 'knex';
import type { PageRequest } from '../db/paging.js';
import { insertAuditEvent, recordEvent } from '../audit/repo.js';
import { deleteSessionsOf, removeSecondFactor, setPasswordHash } from '../auth/repo.js';
import type { Actor } from '../auth/roles.js';
import { issueSetPasswordLink } from '../auth/service.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { listTeams } from '../people/repo.js';
import {
  activeAdministratorExists,
  emailTaken,
  findTeamContact,
  findUserAccount,
  insertTeam,
  insertUser,
  listUsers,
  teamExists,
  teamNameTaken,
  teamSizes,
  updateTeamContact,
  updateUser,
  type UserAccount,
} from './repo.js';
import type { EditUserInput, NewUserInput, TeamContactInput } from './schemas.js';

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError();
}

/** A new account, and the one-time link its owner sets their password with (shown to the administrator once). */
export type NewAccount = { id: number; displayName: string; setPasswordToken: string };

/**
 * The first administrator of a new installation, made at the command line by whoever runs the
 * server (`npm run users:first-admin`), since there is nobody yet to sign in and add them. Like
 * every account, it gets a one-time link rather than a password. Once an administrator exists,
 * accounts are added in the app, where the adding is done by someone named in the audit trail.
 */
export async function createFirstAdministrator(db: Knex, clock: Clock, input: { email: string; displayName: string }): Promise<NewAccount> {
  return db.transaction(async (trx) => {
    await trx.raw('lock table users in share row exclusive mode');
    if (await activeAdministratorExists(trx)) {
      throw new RuleError('There is already an administrator: they add accounts in the app, under Administration', 'email');
    }
    if (await emailTaken(trx, input.email)) throw new RuleError('A user with this email address already exists', 'email');
    const id = await insertUser(trx, { ...input, role: 'admin', teamId: null });
    await insertAuditEvent(trx, {
      userId: null,
      requestId: 'command line',
      action: 'user_created',
      entityType: 'user',
      entityId: id,
      after: { email: input.email, display_name: input.displayName, role: 'admin', team_id: null, set_password_link: 'created' },
    });
    return { id, displayName: input.displayName, setPasswordToken: await issueSetPasswordLink(trx, clock, id, null) };
  });
}

export function adminService(db: Knex, clock: Clock) {
  async function checkTeam(trx: Knex.Transaction, teamId: number | null): Promise<void> {
    if (teamId !== null && !(await teamExists(trx, teamId))) throw new RuleError('Select a team', 'teamId');
  }

  return {
    /** The users page: those who can sign in first, then by name, a page at a time. */
    listUsers: (request: PageRequest) => listUsers(db, { sort: { column: 'status', direction: 'asc' }, request }),
    teams: () => listTeams(db),
    teamSizes: () => teamSizes(db),

    async user(id: number): Promise<UserAccount> {
      const user = await findUserAccount(db, id);
      if (!user) throw new NotFoundError('User');
      return user;
    },

    async createUser(actor: Actor, input: NewUserInput): Promise<NewAccount> {
      requireAdmin(actor);
      return db
        .transaction(async (trx) => {
          if (await emailTaken(trx, input.email)) throw new RuleError('A user with this email address already exists', 'email');
          await checkTeam(trx, input.teamId);
          const id = await insertUser(trx, {
            email: input.email,
            displayName: input.displayName,
            role: input.role,
            teamId: input.teamId,
          });
          await recordEvent(trx, actor, {
            action: 'user_created',
            entityType: 'user',
            entityId: id,
            // The account has no password yet: its owner sets one with the link this event creates.
            after: {
              email: input.email,
              display_name: input.displayName,
              role: input.role,
              team_id: input.teamId,
              set_password_link: 'created',
            },
          });
          const setPasswordToken = await issueSetPasswordLink(trx, clock, id, actor.id);
          return { id, displayName: input.displayName, setPasswordToken };
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

    /**
     * Forgotten password: the old one stops working, every session ends, and only the new link
     * sets another. The administrator passes the link on and never learns the password.
     */
    async newSetPasswordLink(actor: Actor, id: number): Promise<NewAccount> {
      requireAdmin(actor);
      return db.transaction(async (trx) => {
        const user = await findUserAccount(trx, id, true);
        if (!user) throw new NotFoundError('User');
        if (!user.active) throw new RuleError('Reactivate the account before sending a link to set its password');
        await setPasswordHash(trx, id, null);
        await deleteSessionsOf(trx, id);
        const setPasswordToken = await issueSetPasswordLink(trx, clock, id, actor.id);
        await recordEvent(trx, actor, {
          action: 'password_link_created',
          entityType: 'user',
          entityId: id,
          before: { had_password: user.hasPassword },
        });
        return { id, displayName: user.displayName, setPasswordToken };
      });
    },

    /** A lost phone: the app's secret and the recovery codes are removed, and the user sets up an app again at their next sign-in. */
    async resetSecondFactor(actor: Actor, id: number): Promise<UserAccount> {
      requireAdmin(actor);
      return db.transaction(async (trx) => {
        const user = await findUserAccount(trx, id, true);
        if (!user) throw new NotFoundError('User');
        await removeSecondFactor(trx, id);
        await deleteSessionsOf(trx, id);
        await recordEvent(trx, actor, {
          action: 'second_factor_reset',
          entityType: 'user',
          entityId: id,
          before: { had_authenticator: user.hasAuthenticator },
          after: { had_authenticator: false },
        });
        return user;
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

    teamContact: async (id: number) => {
      const team = await findTeamContact(db, id);
      if (!team) throw new NotFoundError('Team');
      return team;
    },

    async changeTeamContact(actor: Actor, id: number, input: TeamContactInput): Promise<void> {
      requireAdmin(actor);
      await db.transaction(async (trx) => {
        const before = await findTeamContact(trx, id, true);
        if (!before) throw new NotFoundError('Team');
        if (before.version !== input.version) throw new StaleVersionError('team', before);
        const after = { phone: input.phone, email: input.email };
        if (!(await updateTeamContact(trx, id, input.version, after))) throw new StaleVersionError('team', before);
        await recordEvent(trx, actor, {
          action: 'team_contact_changed',
          entityType: 'team',
          entityId: id,
          before: { phone: before.phone, email: before.email },
          after,
        });
      });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
