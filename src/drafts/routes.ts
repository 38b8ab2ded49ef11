import type { Request, RequestHandler, Response, Router } from 'express';
import { currentUser, rememberReturnTo } from '../web/auth-guards.js';
import { readCookie } from '../web/cookies.js';
import type { ShowForm } from '../web/form-post.js';
import { singleError } from '../web/validation.js';
import { draftNoticeView, type DraftNoticeView, type DraftState } from './presenters.js';
import { draftQuerySchema, typedFieldsOf, type DraftForm, type TypedFields } from './schemas.js';
import { KEPT_POST_MINUTES, type DraftsService } from './service.js';

/** A long form that keeps drafts: its page is where the draft is offered, and `${page}/draft` keeps one. */
export type DraftableForm = {
  form: DraftForm;
  recordId: (req: Request) => number;
  page: (recordId: number) => string;
  /**
   * Refuses a record the user may not see (by throwing, as the record's own area does); for one they
   * see, why the form is not open to them now, or null when it is.
   */
  whyNotOpen: (req: Request) => Promise<string | null>;
  showForm: ShowForm;
};

/** What the form page opens with: the values to fill in (none: as saved) and the notice about them. */
export type DraftedForm = { values: TypedFields | undefined; notice: DraftNoticeView | null };

/** A form posted from a page after the session ended: `posted` is matched against the path it went to. */
export type KeptForm = { posted: RegExp; page: (match: RegExpExecArray) => string };

export function formDrafts(drafts: DraftsService, options: { secureCookies: boolean }) {
  const keptCookie = options.secureCookies ? '__Host-selfdirect.kept' : 'selfdirect.kept';
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' } as const;

  const paths = (form: DraftableForm, req: Request) => {
    const page = form.page(form.recordId(req));
    return { page, save: `${page}/draft`, discard: `${page}/draft/discard` };
  };

  async function refusedAsClosed(form: DraftableForm, req: Request, res: Response): Promise<boolean> {
    const reason = await form.whyNotOpen(req);
    // As the record's own forms refuse it: a 403 that says why.
    if (reason) res.status(403).render('errors/403', { reason });
    return reason !== null;
  }

  return {
    /** POST `${page}/draft` keeps what was typed, however unfinished; POST `${page}/draft/discard` throws it away. */
    addRoutes(router: Router, pagePattern: string, guard: RequestHandler, form: DraftableForm): void {
      router.post(`${pagePattern}/draft`, guard, async (req, res) => {
        if (await refusedAsClosed(form, req, res)) return;
        const fields = typedFieldsOf(req.body);
        if (!fields.success) {
          const message = fields.error.issues[0]?.message ?? 'There is too much to keep as a draft';
          await form.showForm(req, res, {
            status: 400,
            values: (req.body ?? {}) as Record<string, unknown>,
            errors: singleError('form', message),
          });
          return;
        }
        await drafts.saveDraft(currentUser(req).id, form.form, form.recordId(req), fields.data);
        res.redirect(`${paths(form, req).page}?draft=continue`);
      });
      router.post(`${pagePattern}/draft/discard`, guard, async (req, res) => {
        if (await refusedAsClosed(form, req, res)) return;
        await drafts.discardDraft(currentUser(req).id, form.form, form.recordId(req));
        res.redirect(paths(form, req).page);
      });
    },

    /** The form page's values and notice: text kept through a session ending first, then the user's own draft. */
    async opened(req: Request, res: Response, form: DraftableForm): Promise<DraftedForm> {
      const user = currentUser(req);
      const recordId = form.recordId(req);
      const where = paths(form, req);
      const token = readCookie(req, keptCookie);
      if (token) {
        const kept = await drafts.takeKeptPost(token, user.id, where.page);
        if (kept) {
          res.clearCookie(keptCookie, cookieOptions);
          return { values: kept, notice: draftNoticeView({ kind: 'kept' }, where) };
        }
      }
      const draft = await drafts.draftOf(user.id, form.form, recordId);
      if (!draft) return { values: undefined, notice: null };
      const state: DraftState = draftQuerySchema.parse(req.query).draft ? { kind: 'continuing', draft } : { kind: 'offered', draft };
      return { values: state.kind === 'continuing' ? draft.fields : undefined, notice: draftNoticeView(state, where) };
    },

    /** The user saved the form: their draft of it is spent. */
    discardOwn: (req: Request, form: DraftableForm) => drafts.discardDraft(currentUser(req).id, form.form, form.recordId(req)),

    /** The form has been saved for good (a review completed): every draft of it is spent. */
    discardAllOf: (form: DraftForm, recordId: number) => drafts.discardDraftsOf(form, recordId),

    /** Where the form's "Save and come back later" button posts. */
    saveAction: (req: Request, form: DraftableForm) => paths(form, req).save,

    /**
     * A staff form posted after the session behind it ended (its CSRF token still proves this
     * browser had it from us, for that session): nothing is changed, the text is kept for an hour
     * and the user is sent to sign in, then back to the form. The user id is the ended session's,
     * when its row is still there to say; otherwise whoever signs in next in this browser.
     */
    keepPostsAfterSessionEnds(check: {
      forms: KeptForm[];
      endedSessionId: (req: Request) => string | undefined;
      tokenMadeForSession: (req: Request, sessionId: string) => boolean;
      userOfSession: (sessionId: string) => Promise<number | undefined>;
    }): RequestHandler {
      return async (req, res, next) => {
        if (req.method !== 'POST' || req.user || req.session?.pendingSignIn) {
          next();
          return;
        }
        const match = check.forms.map((form) => ({ form, found: form.posted.exec(req.path) })).find(({ found }) => found);
        const sessionId = check.endedSessionId(req);
        const fields = typedFieldsOf(req.body);
        if (!match?.found || !sessionId || !check.tokenMadeForSession(req, sessionId) || !fields.success) {
          next();
          return;
        }
        const page = match.form.page(match.found);
        const userId = (await check.userOfSession(sessionId)) ?? null;
        const token = await drafts.keepPost({ userId, page, fields: fields.data });
        res.cookie(keptCookie, token, { ...cookieOptions, maxAge: KEPT_POST_MINUTES * 60_000 });
        rememberReturnTo(req, res, page);
        res.redirect('/sign-in?signedOut=kept');
      };
    },
  };
}

export type FormDrafts = ReturnType<typeof formDrafts>;
