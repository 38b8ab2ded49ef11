import { Router, type Request, type Response } from 'express';
import type { StaleVersionError } from '../errors.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { conflictView } from '../web/conflict.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { PAGE_SIZE, pageQuerySchema } from '../web/pagination.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import {
  setPasswordLinkView,
  teamContactFieldLabels,
  teamContactFormView,
  teamContactValues,
  teamsView,
  userFieldLabels,
  userFormValues,
  userFormView,
  usersView,
} from './presenters.js';
import type { TeamContact, UserAccount } from './repo.js';
import { editUserSchema, newTeamSchema, newUserSchema, teamContactSchema } from './schemas.js';
import type { AdminService, NewAccount } from './service.js';

type FormState = { status: number; values: Record<string, unknown>; errors: FormErrors };

/** Adding an account or a team changes no saved version, so a stale error here is a fault for the error page. */
const nothingToBeStale = (_req: Request, error: StaleVersionError): never => {
  throw error;
};

export function adminRoutes(admin: AdminService): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));
  const userId = (req: Request) => idParam(req.params.id, 'User');

  async function showUserForm(res: Response, state: FormState, user?: UserAccount) {
    res.status(state.status).render('admin/user-form', userFormView({ ...state, user, teams: await admin.teams() }));
  }

  async function showTeams(res: Response, state: FormState) {
    res.status(state.status).render('admin/teams', teamsView(await admin.teamSizes(), state.values, state.errors));
  }

  /**
   * The link is drawn in the response to the post and kept nowhere readable, so it exists only
   * on this screen: reloading cannot show it again, and a lost link is replaced by a new one.
   */
  const showLink = (req: Request, res: Response, account: NewAccount, isNew: boolean) =>
    res.render('admin/set-password-link', setPasswordLinkView(account, `${req.protocol}://${req.get('host') ?? 'localhost'}`, isNew));

  router.get('/admin/users', async (req, res) => {
    const { page } = pageQuerySchema.parse(req.query);
    res.render('admin/users', usersView(await admin.listUsers({ page, size: PAGE_SIZE })));
  });

  router.get('/admin/users/new', async (_req, res) => {
    await showUserForm(res, { status: 200, values: {}, errors: noErrors });
  });

  router.post(
    '/admin/users',
    takeForm({
      schema: newUserSchema,
      showForm: (_req, res, state) => showUserForm(res, state),
      save: (req, data) => admin.createUser(actorFrom(req), data),
      done: (req, res, account) => showLink(req, res, account, true),
      conflict: nothingToBeStale,
    }),
  );

  router.get('/admin/users/:id/edit', async (req, res) => {
    const user = await admin.user(userId(req));
    await showUserForm(res, { status: 200, values: userFormValues(user), errors: noErrors }, user);
  });

  router.post(
    '/admin/users/:id/edit',
    takeForm({
      schema: editUserSchema,
      showForm: async (req, res, state) => showUserForm(res, state, await admin.user(userId(req))),
      save: (req, data) => admin.updateUser(actorFrom(req), userId(req), data),
      done: (_req, res) => res.redirect('/admin/users'),
      conflict: async (req, error) => {
        const current = error.current as UserAccount;
        return conflictView({
          recordName: `${current.displayName}’s account`,
          fields: userFieldLabels(await admin.teams()),
          typed: req.body as Record<string, unknown>,
          savedNow: userFormValues(current),
          latest: { href: `/admin/users/${current.id}/edit`, text: 'Change the latest version' },
        });
      },
    }),
  );

  router.post('/admin/users/:id/set-password-link', async (req, res) => {
    showLink(req, res, await admin.newSetPasswordLink(actorFrom(req), userId(req)), false);
  });

  router.post('/admin/users/:id/reset-authenticator', async (req, res) => {
    const user = await admin.resetSecondFactor(actorFrom(req), userId(req));
    showBannerNext(req, {
      heading: `${user.displayName}’s authenticator app has been reset`,
      body: 'They have been signed out, and will set up an authenticator app the next time they sign in.',
    });
    res.redirect('/admin/users');
  });

  router.get('/admin/teams', async (_req, res) => {
    await showTeams(res, { status: 200, values: {}, errors: noErrors });
  });

  router.post(
    '/admin/teams',
    takeForm({
      schema: newTeamSchema,
      showForm: (_req, res, state) => showTeams(res, state),
      save: (req, data) => admin.createTeam(actorFrom(req), data.name),
      done: (_req, res) => res.redirect('/admin/teams'),
      conflict: nothingToBeStale,
    }),
  );

  // How the people a team supports reach it: printed on their support plan's "Who to contact".
  const teamId = (req: Request) => idParam(req.params.id, 'Team');
  async function showTeamContact(req: Request, res: Response, state: FormState) {
    res.status(state.status).render('admin/team-contact', teamContactFormView(await admin.teamContact(teamId(req)), state));
  }
  router.get('/admin/teams/:id/contact', async (req, res) => {
    await showTeamContact(req, res, { status: 200, values: teamContactValues(await admin.teamContact(teamId(req))), errors: noErrors });
  });
  router.post(
    '/admin/teams/:id/contact',
    takeForm({
      schema: teamContactSchema,
      showForm: showTeamContact,
      save: (req, data) => admin.changeTeamContact(actorFrom(req), teamId(req), data),
      done: (_req, res) => res.redirect('/admin/teams'),
      conflict: (req, error) => {
        const current = error.current as TeamContact;
        return conflictView({
          recordName: `${current.name}’s contact details`,
          fields: teamContactFieldLabels,
          typed: req.body as Record<string, unknown>,
          savedNow: teamContactValues(current),
          latest: { href: `/admin/teams/${current.id}/contact`, text: 'Change the latest version' },
        });
      },
    }),
  );

  return router;
}
