import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { conflictView } from '../web/conflict.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import {
  allocationFormView,
  duplicateQuestionView,
  notAddedBanner,
  peopleListView,
  personFieldLabels,
  personFormValues,
  personFormView,
  personName,
  personPageView,
  typedFormFields,
} from './presenters.js';
import type { Person } from './repo.js';
import { allocationSchema, newPersonSchema, personEditSchema, personFieldAnchors, personSearchSchema } from './schemas.js';
import type { PersonSections } from './sections.js';
import type { PeopleService } from './service.js';

export function peopleRoutes(people: PeopleService, clock: Clock, personSections: PersonSections): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const personId = (req: Request) => idParam(req.params.id, 'Person');

  async function showPersonForm(
    req: Request,
    res: Response,
    state: { status: number; values: Record<string, unknown>; errors: FormErrors },
    person?: Person,
  ) {
    const user = currentUser(req);
    const page = person ? await people.personToChange(user, person.id) : undefined;
    const { workers } = await people.formOptions(user, person?.teamId);
    res
      .status(state.status)
      .render('people/form', personFormView({ ...state, person, workers, canAllocate: page ? page.canAllocate : true }));
  }

  async function showAllocation(
    req: Request,
    res: Response,
    state: { status: number; values: Record<string, unknown>; errors: FormErrors },
  ) {
    const page = await people.personToChange(currentUser(req), personId(req));
    const { workers } = await people.formOptions(currentUser(req), page.person.teamId);
    res.status(state.status).render('people/allocate', allocationFormView(page.person, workers, state.values, state.errors));
  }

  /** Someone saved the person first: what is saved now beside what this user typed. */
  const conflict = (req: Request, error: { current: unknown }) => {
    const current = error.current as Person;
    return conflictView({
      recordName: `${personName(current)}’s record`,
      fields: personFieldLabels,
      typed: req.body as Record<string, unknown>,
      savedNow: personFormValues(current),
      latest: { href: `/people/${current.id}/edit`, text: 'Change the latest version' },
    });
  };

  router.get('/people', async (req, res) => {
    const user = currentUser(req);
    const form = parseForm(personSearchSchema, req.query);
    if (!form.ok) {
      // The page again with what was typed and no results: the search never ran.
      const typed = (name: string) => {
        const value = req.query[name];
        return typeof value === 'string' ? value : undefined;
      };
      const search = { q: typed('q'), team: typed('team'), clientGroup: typed('clientGroup') };
      const teams = await people.searchTeams();
      res.status(400).render('people/list', peopleListView({ user, search, teams, result: null, errors: form.errors }));
      return;
    }
    const result = await people.search(actorFrom(req), form.data);
    res.render('people/list', peopleListView({ user, search: form.data, teams: result.teams, result, errors: noErrors }));
  });

  // No contact method is chosen for the user: whichever it is makes its own box needed.
  router.get('/people/new', editors, async (req, res) => {
    const user = currentUser(req);
    const values = { allocatedWorkerId: user.role === 'care_manager' ? String(user.id) : '' };
    await showPersonForm(req, res, { status: 200, values, errors: noErrors });
  });

  // "Change the details" on the duplicate question: the form again with everything typed, nothing saved.
  router.post('/people/new', editors, async (req, res) => {
    const values = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        ([name]) => name !== 'differentPerson' && name !== 'askedIfDifferent',
      ),
    );
    await showPersonForm(req, res, { status: 200, values, errors: noErrors });
  });

  router.post(
    '/people',
    editors,
    takeForm({
      schema: () => newPersonSchema(londonToday(clock)),
      anchors: personFieldAnchors,
      showForm: (req, res, state) => showPersonForm(req, res, state),
      save: async (req, data) => ({ outcome: await people.createPerson(actorFrom(req), data), name: personName(data) }),
      done: (req, res, { outcome, name }) => {
        if ('added' in outcome) {
          res.redirect(`/people/${outcome.added.id}`);
        } else if ('notAdded' in outcome) {
          showBannerNext(req, notAddedBanner(name));
          res.redirect('/people');
        } else {
          // Asked before anything is saved; what was typed goes back and forth in hidden fields.
          const errors = outcome.unanswered ? singleError('differentPerson', 'Select yes if this is a different person') : noErrors;
          res.status(outcome.unanswered ? 400 : 200).render(
            'people/duplicates',
            duplicateQuestionView({
              user: currentUser(req),
              name,
              matches: outcome.possibleDuplicates,
              typed: typedFormFields(req.body as Record<string, unknown>),
              errors,
            }),
          );
        }
      },
      conflict,
    }),
  );

  router.get('/people/:id', async (req, res) => {
    const user = currentUser(req);
    const page = await people.personPage(user, personId(req), personSections);
    res.render('people/show', personPageView({ ...page, viewer: { user, now: clock.now() } }));
  });

  router.get('/people/:id/edit', editors, async (req, res) => {
    const page = await people.personToChange(currentUser(req), personId(req));
    if (!page.canEdit) {
      res.status(403).render('errors/403', {});
      return;
    }
    await showPersonForm(req, res, { status: 200, values: personFormValues(page.person), errors: noErrors }, page.person);
  });

  router.post(
    '/people/:id/edit',
    editors,
    takeForm({
      schema: () => personEditSchema(londonToday(clock)),
      anchors: personFieldAnchors,
      showForm: async (req, res, state) =>
        showPersonForm(req, res, state, (await people.personToChange(currentUser(req), personId(req))).person),
      save: (req, data) => people.updatePerson(actorFrom(req), personId(req), data, data.version),
      done: (req, res) => res.redirect(`/people/${personId(req)}`),
      conflict,
    }),
  );

  router.get('/people/:id/allocate', requireRole('team_manager'), async (req, res) => {
    const page = await people.personToChange(currentUser(req), personId(req));
    await showAllocation(req, res, { status: 200, values: personFormValues(page.person), errors: noErrors });
  });

  router.post(
    '/people/:id/allocate',
    requireRole('team_manager'),
    takeForm({
      schema: allocationSchema,
      showForm: showAllocation,
      save: (req, data) => people.allocate(actorFrom(req), personId(req), data.allocatedWorkerId, data.version),
      done: (req, res) => res.redirect(`/people/${personId(req)}`),
      conflict,
    }),
  );

  return router;
}
