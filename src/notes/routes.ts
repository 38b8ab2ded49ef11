import { Router, type Request } from 'express';
import type { Clock } from '../clock.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { PAGE_SIZE } from '../web/pagination.js';
import { noErrors } from '../web/validation.js';
import { noteConflictView, noteFormValues, noteFormView, timelinePageView } from './presenters.js';
import type { CaseNote } from './repo.js';
import { correctionSchema, noteFieldAnchors, noteSchema, timelineQuerySchema } from './schemas.js';
import type { NotesService } from './service.js';

export function noteRoutes(notes: NotesService, clock: Clock): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const personId = (req: Request) => idParam(req.params.id, 'Person');
  const noteId = (req: Request) => idParam(req.params.id, 'Note');

  const showNewNote: ShowForm = async (req, res, state) => {
    const { person } = await notes.newNotePage(currentUser(req), personId(req));
    res.status(state.status).render('notes/form', noteFormView({ person, values: state.values, errors: state.errors }));
  };

  const showCorrection: ShowForm = async (req, res, state) => {
    const { person, note } = await notes.correctionPage(currentUser(req), noteId(req));
    res.status(state.status).render('notes/form', noteFormView({ person, note, values: state.values, errors: state.errors }));
  };

  router.get('/people/:id/timeline', async (req, res) => {
    const { kind, page } = timelineQuerySchema.parse(req.query);
    const user = currentUser(req);
    const timeline = await notes.timeline(user, personId(req), kind, { page, size: PAGE_SIZE });
    res.render('notes/timeline', timelinePageView(timeline, kind, user));
  });

  router.get('/people/:id/notes/new', editors, async (req, res) => {
    await showNewNote(req, res, { status: 200, values: {}, errors: noErrors });
  });

  router.post(
    '/people/:id/notes',
    editors,
    takeForm({
      schema: () => noteSchema(clock),
      anchors: noteFieldAnchors,
      showForm: showNewNote,
      save: (req, data) => notes.add(actorFrom(req), personId(req), data),
      done: (_req, res, note) => res.redirect(`/people/${note.personId}#what-has-happened`),
      conflict: async (req) => {
        const { person } = await notes.newNotePage(currentUser(req), personId(req));
        return noteConflictView(req.body as Record<string, unknown>, person);
      },
    }),
  );

  router.get('/notes/:id/edit', editors, async (req, res) => {
    const { person, note } = await notes.correctionPage(currentUser(req), noteId(req));
    res.render('notes/form', noteFormView({ person, note, values: noteFormValues(note), errors: noErrors }));
  });

  router.post(
    '/notes/:id/edit',
    editors,
    takeForm({
      schema: () => correctionSchema(clock),
      anchors: noteFieldAnchors,
      showForm: showCorrection,
      save: (req, data) => notes.correct(actorFrom(req), noteId(req), data),
      done: (_req, res, note) => res.redirect(`/people/${note.personId}#what-has-happened`),
      conflict: async (req, error) => {
        const { person } = await notes.newNotePage(currentUser(req), (error.current as CaseNote).personId);
        return noteConflictView(req.body as Record<string, unknown>, person, error.current as CaseNote);
      },
    }),
  );

  return router;
}
