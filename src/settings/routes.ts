import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import type { StaleVersionError } from '../errors.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { conflictView } from '../web/conflict.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import {
  settingsFieldLabels,
  settingsFormValues,
  settingsPageView,
  settingsSavedBanner,
  targetAddedBanner,
  targetRemovedBanner,
} from './presenters.js';
import type { CouncilSettings } from './repo.js';
import { councilSettingsSchema, uptakeTargetAnchors, uptakeTargetSchema } from './schemas.js';
import type { SettingsService } from './service.js';

const PAGE = '/admin/settings';

type FormState = { form?: 'settings' | 'target'; status: number; values: Record<string, unknown>; errors: FormErrors };

/** Adding a target changes no saved version, so a stale error here is a fault for the error page. */
const nothingToBeStale = (_req: Request, error: StaleVersionError): never => {
  throw error;
};

export function settingsRoutes(settings: SettingsService, clock: Clock): Router {
  const router = Router();
  router.use(PAGE, requireRole('admin'));

  async function showPage(req: Request, res: Response, state: FormState) {
    res.status(state.status).render('settings/index', settingsPageView(await settings.settingsPage(actorFrom(req)), state));
  }

  router.get(PAGE, (req, res) => showPage(req, res, { status: 200, values: {}, errors: noErrors }));

  router.post(
    PAGE,
    takeForm({
      schema: councilSettingsSchema,
      showForm: (req, res, state) => showPage(req, res, { ...state, form: 'settings' }),
      save: (req, data) => settings.changeSettings(actorFrom(req), data),
      done: (req, res, changed) => {
        showBannerNext(req, settingsSavedBanner(changed));
        res.redirect(PAGE);
      },
      conflict: (req, error) =>
        conflictView({
          recordName: 'the council settings',
          fields: settingsFieldLabels,
          typed: req.body as Record<string, unknown>,
          savedNow: settingsFormValues(error.current as CouncilSettings),
          latest: { href: PAGE, text: 'Change the latest settings' },
        }),
    }),
  );

  router.post(
    `${PAGE}/uptake-targets`,
    takeForm({
      schema: () => uptakeTargetSchema(londonToday(clock)),
      anchors: uptakeTargetAnchors,
      showForm: (req, res, state) => showPage(req, res, { ...state, form: 'target' }),
      save: async (req, data) => {
        await settings.addUptakeTarget(actorFrom(req), data);
        return data;
      },
      done: (req, res, added) => {
        showBannerNext(req, targetAddedBanner(added));
        res.redirect(PAGE);
      },
      conflict: nothingToBeStale,
    }),
  );

  router.post(`${PAGE}/uptake-targets/:id/remove`, async (req, res) => {
    const removed = await settings.removeUptakeTarget(actorFrom(req), idParam(req.params.id, 'Uptake target'));
    showBannerNext(req, targetRemovedBanner(removed));
    res.redirect(PAGE);
  });

  return router;
}
