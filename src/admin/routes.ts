import { Router, type Response } from 'express';
import { roles } from '../auth/roles.js';
import { RuleError, StaleVersionError } from '../errors.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { editUserSchema, newTeamSchema, newUserSchema } from './schemas.js';
import type { AdminService } from './service.js';

export function adminRoutes(admin: AdminService): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));

  async function renderUserForm(res: Response, status: number, values: Record<string, unknown>, errors: FormErrors, userId?: number) {
    res.status(status).render('admin/user-form', { values, errors, userId, roles, teams: await admin.teams() });
  }

  router.get('/admin/users', async (_req, res) => {
    res.render('admin/users', { users: await admin.listUsers() });
  });

  router.get('/admin/users/new', async (_req, res) => {
    await renderUserForm(res, 200, {}, noErrors);
  });

  router.post('/admin/users', async (req, res) => {
    const values = { ...(req.body as Record<string, unknown>), password: '' };
    const form = parseForm(newUserSchema, req.body);
    if (!form.ok) {
      await renderUserForm(res, 400, values, form.errors);
      return;
    }
    try {
      await admin.createUser(actorFrom(req), form.data);
      res.redirect('/admin/users');
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      await renderUserForm(res, 400, values, singleError(error.field ?? 'form', error.message));
    }
  });

  router.get('/admin/users/:id/edit', async (req, res) => {
    const user = await admin.user(idParam(req.params.id, 'User'));
    const values = {
      displayName: user.display_name,
      email: user.email,
      role: user.role,
      teamId: user.team_id === null ? '' : String(user.team_id),
      active: user.active ? 'yes' : 'no',
      version: String(user.version),
    };
    await renderUserForm(res, 200, values, noErrors, user.id);
  });

  router.post('/admin/users/:id/edit', async (req, res) => {
    const id = idParam(req.params.id, 'User');
    const existing = await admin.user(id);
    const values = { ...(req.body as Record<string, unknown>), email: existing.email };
    const form = parseForm(editUserSchema, req.body);
    if (!form.ok) {
      await renderUserForm(res, 400, values, form.errors, id);
      return;
    }
    try {
      await admin.updateUser(actorFrom(req), id, form.data);
      res.redirect('/admin/users');
    } catch (error) {
      if (error instanceof StaleVersionError) {
        res.status(409).render('errors/409', { typed: values, backLink: `/admin/users/${id}/edit` });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      await renderUserForm(res, 400, values, singleError(error.field ?? 'form', error.message), id);
    }
  });

  router.get('/admin/teams', async (_req, res) => {
    res.render('admin/teams', { teams: await admin.teamsWithCounts(), values: {}, errors: noErrors });
  });

  router.post('/admin/teams', async (req, res) => {
    const values = req.body as Record<string, unknown>;
    const form = parseForm(newTeamSchema, values);
    const renderAgain = async (errors: FormErrors) =>
      res.status(400).render('admin/teams', { teams: await admin.teamsWithCounts(), values, errors });
    if (!form.ok) {
      await renderAgain(form.errors);
      return;
    }
    try {
      await admin.createTeam(actorFrom(req), form.data.name);
      res.redirect('/admin/teams');
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      await renderAgain(singleError(error.field ?? 'form', error.message));
    }
  });

  return router;
}
