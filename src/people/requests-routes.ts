import { Router, type Request } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors } from '../web/validation.js';
import type { SupportRequest } from './requests-repo.js';
import { cancelRequestView, newRequestView, requestConflictView, requestOutcomeView } from './requests-presenters.js';
import { cancelRequestSchema, newRequestSchema, requestFieldAnchors, requestOutcomeSchema } from './requests-schemas.js';
import type { SupportRequestsService } from './requests-service.js';

export function supportRequestRoutes(requests: SupportRequestsService, clock: Clock): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const personId = (req: Request) => idParam(req.params.id, 'Person');
  const requestId = (req: Request) => idParam(req.params.requestId, 'Request for support');
  const backToPerson = (req: Request) => `/people/${personId(req)}#requests`;

  /** The request as it is now, for the page that shows what someone else saved first. */
  const conflict = async (req: Request, error: { current: unknown }) => {
    const person = await requests.personToRecordFor(currentUser(req), personId(req));
    return requestConflictView(person, error.current as SupportRequest, req.body as Record<string, unknown>);
  };

  router.get('/people/:id/requests/new', editors, async (req, res) => {
    const person = await requests.personToRecordFor(currentUser(req), personId(req));
    res.render('people/request-new', newRequestView(person, { values: {}, errors: noErrors }));
  });

  router.post(
    '/people/:id/requests',
    editors,
    takeForm({
      schema: () => newRequestSchema(londonToday(clock)),
      anchors: requestFieldAnchors,
      showForm: async (req, res, state) => {
        const person = await requests.personToRecordFor(currentUser(req), personId(req));
        res.status(state.status).render('people/request-new', newRequestView(person, state));
      },
      save: (req, data) => requests.recordRequest(actorFrom(req), personId(req), data),
      done: (req, res) => res.redirect(backToPerson(req)),
      conflict,
    }),
  );

  router.get('/people/:id/requests/:requestId/outcome', editors, async (req, res) => {
    const { person, request } = await requests.requestPage(currentUser(req), personId(req), requestId(req));
    res.render('people/request-outcome', requestOutcomeView(person, request, { values: {}, errors: noErrors }));
  });

  router.post(
    '/people/:id/requests/:requestId/outcome',
    editors,
    takeForm({
      schema: () => requestOutcomeSchema(londonToday(clock)),
      anchors: requestFieldAnchors,
      showForm: async (req, res, state) => {
        const { person, request } = await requests.requestPage(currentUser(req), personId(req), requestId(req));
        res.status(state.status).render('people/request-outcome', requestOutcomeView(person, request, state));
      },
      save: (req, data) => requests.decideRequest(actorFrom(req), personId(req), requestId(req), data),
      done: (req, res) => res.redirect(backToPerson(req)),
      conflict,
    }),
  );

  router.get('/people/:id/requests/:requestId/cancel', editors, async (req, res) => {
    const { person, request } = await requests.requestPage(currentUser(req), personId(req), requestId(req));
    res.render('people/request-cancel', cancelRequestView(person, request, { values: {}, errors: noErrors }));
  });

  router.post(
    '/people/:id/requests/:requestId/cancel',
    editors,
    takeForm({
      schema: cancelRequestSchema,
      showForm: async (req, res, state) => {
        const { person, request } = await requests.requestPage(currentUser(req), personId(req), requestId(req));
        res.status(state.status).render('people/request-cancel', cancelRequestView(person, request, state));
      },
      save: (req, data) => requests.cancelRequest(actorFrom(req), personId(req), requestId(req), data.version),
      done: (req, res) => res.redirect(backToPerson(req)),
      conflict,
    }),
  );

  return router;
}
