import { Router, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { RuleError, StaleVersionError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { dateParts } from '../web/form-fields.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { clientGroupLabels, clientGroups } from './client-groups.js';
import type { PersonRow } from './repo.js';
import { allocationSchema, personEditSchema, personFieldAnchors, personSchema, personSearchSchema } from './schemas.js';
import type { PersonSectionProvider } from './sections.js';
import type { PeopleService } from './service.js';

type PersonFormValues = Record<string, unknown>;

function formValuesOf(person: PersonRow): PersonFormValues {
  return {
    givenName: person.given_name,
    familyName: person.family_name,
    dateOfBirth: dateParts(person.date_of_birth),
    reference: person.reference,
    postcode: person.postcode,
    clientGroup: person.client_group,
    address: person.address,
    phone: person.phone,
    email: person.email,
    preferredContact: person.preferred_contact,
    referralDate: dateParts(person.referral_date),
    allocatedWorkerId: person.allocated_worker_id === null ? '' : String(person.allocated_worker_id),
    version: String(person.version),
  };
}

/** Someone saved the person first: show what is saved now beside what this user typed. */
function renderConflict(res: Response, error: StaleVersionError, typed: PersonFormValues): void {
  const current = error.current as PersonRow;
  res.status(409).render('people/conflict', { person: current, current: formValuesOf(current), typed, clientGroupLabels });
}

export function peopleRoutes(people: PeopleService, clock: Clock, sectionProviders: PersonSectionProvider[] = []): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');

  async function renderForm(
    res: Response,
    status: number,
    options: { values: PersonFormValues; errors: FormErrors; person?: PersonRow; canAllocate: boolean },
  ) {
    const user = currentUser(res.req);
    const { workers } = await people.formOptions(user, options.person?.team_id);
    res.status(status).render('people/form', { ...options, workers, clientGroups, clientGroupLabels });
  }

  router.get('/people', async (req, res) => {
    const form = parseForm(personSearchSchema, req.query);
    if (!form.ok) {
      // The page again with what was typed and no results: the search never ran.
      const typed = (name: string) => {
        const value = req.query[name];
        return typeof value === 'string' ? value : undefined;
      };
      const search = { q: typed('q'), team: typed('team'), clientGroup: typed('clientGroup') };
      const teams = await people.searchTeams();
      res.status(400).render('people/list', { search, teams, errors: form.errors, clientGroups, clientGroupLabels });
      return;
    }
    const result = await people.search(currentUser(req), form.data);
    res.render('people/list', { ...result, search: form.data, errors: noErrors, clientGroups, clientGroupLabels });
  });

  router.get('/people/new', editors, async (req, res) => {
    const user = currentUser(req);
    const values = { preferredContact: 'phone', allocatedWorkerId: user.role === 'care_manager' ? String(user.id) : '' };
    await renderForm(res, 200, { values, errors: noErrors, canAllocate: true });
  });

  router.post('/people', editors, async (req, res) => {
    const values = req.body as PersonFormValues;
    const form = parseForm(personSchema(londonToday(clock)), values, personFieldAnchors);
    if (!form.ok) {
      await renderForm(res, 400, { values, errors: form.errors, canAllocate: true });
      return;
    }
    try {
      const person = await people.createPerson(actorFrom(req), form.data);
      res.redirect(`/people/${person.id}`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      await renderForm(res, 400, { values, errors: singleError(error.field ?? 'form', error.message), canAllocate: true });
    }
  });

  router.get('/people/:id', async (req, res) => {
    const user = currentUser(req);
    const page = await people.personPage(user, idParam(req.params.id, 'Person'));
    const sections = (await Promise.all(sectionProviders.map((provide) => provide(user, page.person)))).filter(
      (section) => section !== null,
    );
    res.render('people/show', { ...page, sections, clientGroupLabels });
  });

  router.get('/people/:id/edit', editors, async (req, res) => {
    const page = await people.personPage(currentUser(req), idParam(req.params.id, 'Person'));
    if (!page.canEdit) {
      res.status(403).render('errors/403', {});
      return;
    }
    await renderForm(res, 200, { values: formValuesOf(page.person), errors: noErrors, person: page.person, canAllocate: page.canAllocate });
  });

  router.post('/people/:id/edit', editors, async (req, res) => {
    const user = currentUser(req);
    const id = idParam(req.params.id, 'Person');
    const page = await people.personPage(user, id);
    const values = req.body as PersonFormValues;
    const form = parseForm(personEditSchema(londonToday(clock)), values, personFieldAnchors);
    if (!form.ok) {
      await renderForm(res, 400, { values, errors: form.errors, person: page.person, canAllocate: page.canAllocate });
      return;
    }
    try {
      await people.updatePerson(actorFrom(req), id, form.data, form.data.version);
      res.redirect(`/people/${id}`);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        renderConflict(res, error, values);
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      await renderForm(res, 400, {
        values,
        errors: singleError(error.field ?? 'form', error.message),
        person: page.person,
        canAllocate: page.canAllocate,
      });
    }
  });

  router.get('/people/:id/allocate', requireRole('team_manager'), async (req, res) => {
    const page = await people.personPage(currentUser(req), idParam(req.params.id, 'Person'));
    const { workers } = await people.formOptions(currentUser(req), page.person.team_id);
    res.render('people/allocate', { ...page, workers, values: formValuesOf(page.person), errors: noErrors });
  });

  router.post('/people/:id/allocate', requireRole('team_manager'), async (req, res) => {
    const id = idParam(req.params.id, 'Person');
    const page = await people.personPage(currentUser(req), id);
    const { workers } = await people.formOptions(currentUser(req), page.person.team_id);
    const values = req.body as PersonFormValues;
    const form = parseForm(allocationSchema, values);
    const renderAgain = (errors: FormErrors) => res.status(400).render('people/allocate', { ...page, workers, values, errors });
    if (!form.ok) {
      renderAgain(form.errors);
      return;
    }
    try {
      await people.allocate(actorFrom(req), id, form.data.allocatedWorkerId, form.data.version);
      res.redirect(`/people/${id}`);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        renderConflict(res, error, values);
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      renderAgain(singleError(error.field ?? 'form', error.message));
    }
  });

  return router;
}
