import { Router, type Request } from 'express';
import type { Clock } from '../clock.js';
import type { DraftNoticeView } from '../drafts/presenters.js';
import type { DraftableForm, FormDrafts, KeptForm } from '../drafts/routes.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { PAGE_SIZE } from '../web/pagination.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import { noteConflictView, noteFormValues, noteFormView, timelinePageView } from './presenters.js';
import type { CaseNote } from './repo.js';
import { correctionSchema, noteFieldAnchors, noteSchema, timelineQuerySchema } from './schemas.js';
import type { NotesService } from './service.js';

/** A new note posted after the session ended is kept, and offered back on the new note page. */
export const noteFormsKept: KeptForm[] = [
  { posted: /^\/people\/(\d+)\/notes(\/new\/draft)?$/, page: (match) => `/people/${match[1]}/notes/new` },
];

export function noteRoutes(notes: NotesService, drafts: FormDrafts, clock: Clock): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const personId = (req: Request) => idParam(req.params.id, 'Person');
  const noteId = (req: Request) => idParam(req.params.id, 'Note');

  // A visit written up afterwards can be long: a new note keeps a draft as it goes (src/drafts).
  const renderNewNote = async (
    req: Request,
    state: { values: Record<string, unknown>; errors: FormErrors },
    draftNotice: DraftNoticeView | null,
  ) => {
    const { person } = await notes.newNotePage(currentUser(req), personId(req));
    return noteFormView({
      person,
      values: state.values,
      errors: state.errors,
      draft: { notice: draftNotice, action: drafts.saveAction(req, noteDraft) },
    });
  };
  const showNewNote: ShowForm = async (req, res, state) => {
    res.status(state.status).render('notes/form', await renderNewNote(req, state, null));
  };
  const noteDraft: DraftableForm = {
    form: 'case_note',
    recordId: personId,
    page: (id) => `/people/${id}/notes/new`,
    // newNotePage refuses a person the user may not see; anyone who may see them may write a note.
    whyNotOpen: async (req) => {
      await notes.newNotePage(currentUser(req), personId(req));
      return null;
    },
    showForm: showNewNote,
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
    const opened = await drafts.opened(req, res, noteDraft);
    res.render('notes/form', await renderNewNote(req, { values: opened.values ?? {}, errors: noErrors }, opened.notice));
  });
  drafts.addRoutes(router, '/people/:id/notes/new', editors, noteDraft);

  router.post(
    '/people/:id/notes',
    editors,
    takeForm({
      schema: () => noteSchema(clock),
      anchors: noteFieldAnchors,
      showForm: showNewNote,
      save: async (req, data) => {
        const note = await notes.add(actorFrom(req), personId(req), data);
        await drafts.discardOwn(req, noteDraft);
        return note;
      },
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
