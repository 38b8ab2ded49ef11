import { Router } from 'express';
import { personName } from '../people/presenters.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { idParam } from '../web/params.js';
import { entryPath, letterView } from './presenters.js';
import type { SelfAssessmentAccessService } from './service.js';

/** What staff do about a person's online self-assessment: give or revoke the access code. */
export function staffSelfAssessmentRoutes(access: SelfAssessmentAccessService, councilName: string): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');

  /**
   * The letter is this response and nothing else: the code exists only here, so reloading cannot
   * show it again, and a lost letter is replaced by a new code.
   */
  router.post('/people/:id/self-assessment/access-code', editors, async (req, res) => {
    const invited = await access.invite(actorFrom(req), idParam(req.params.id, 'Person'));
    const entryUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${entryPath}`;
    res.render('self-assessment/letter', letterView(invited, entryUrl, councilName));
  });

  router.post('/people/:id/self-assessment/access-code/revoke', editors, async (req, res) => {
    const person = await access.revoke(actorFrom(req), idParam(req.params.id, 'Person'));
    showBannerNext(req, {
      heading: 'The access code has been revoked',
      body: `${personName(person)} can no longer sign in to the online self-assessment with it.`,
    });
    res.redirect(`/people/${person.id}`);
  });

  return router;
}
