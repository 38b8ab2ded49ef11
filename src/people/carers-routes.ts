import { Router, type Request, type Response } from 'express';
import type { StaleVersionError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import { caresForView } from './carers-presenters.js';
import { carerLinkSchema } from './carers-schemas.js';
import type { CarersService } from './carers-service.js';

/** Links carry no version (the carer's row is locked instead), so a stale error here is a fault for the error page. */
const nothingToBeStale = (_req: Request, error: StaleVersionError): never => {
  throw error;
};

export function carerRoutes(carers: CarersService): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const carerId = (req: Request) => idParam(req.params.id, 'Carer');

  async function showPage(req: Request, res: Response, state: { status: number; values: Record<string, unknown>; errors: FormErrors }) {
    const page = await carers.linksPage(currentUser(req), carerId(req));
    res.status(state.status).render('people/cares-for', caresForView(page, state));
  }

  router.get('/people/:id/cares-for', editors, (req, res) => showPage(req, res, { status: 200, values: {}, errors: noErrors }));

  router.post(
    '/people/:id/cares-for',
    editors,
    takeForm({
      schema: carerLinkSchema,
      showForm: showPage,
      save: (req, data) => carers.link(actorFrom(req), carerId(req), data.reference),
      done: (req, res) => res.redirect(`/people/${carerId(req)}/cares-for`),
      conflict: nothingToBeStale,
    }),
  );

  router.post('/people/:id/cares-for/:caredForId/remove', editors, async (req, res) => {
    await carers.unlink(actorFrom(req), carerId(req), idParam(req.params.caredForId, 'Person'));
    res.redirect(`/people/${carerId(req)}/cares-for`);
  });

  return router;
}
