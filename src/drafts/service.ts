import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../clock.js';
import {
  deleteDraft,
  deleteDraftsOfRecord,
  deleteExpiredKeptPosts,
  deleteKeptPost,
  findDraft,
  findKeptPost,
  insertKeptPost,
  upsertDraft,
  type Draft,
  type KeptPost,
} from './repo.js';
import type { DraftForm, TypedFields } from './schemas.js';

/** How long text posted after a session ended waits for its author to sign in again. */
export const KEPT_POST_MINUTES = 60;

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Drafts and kept posts are a member of staff's own unfinished typing, not case records: they
 * change nothing, so they leave no audit event, and they are deleted as soon as they have served.
 * Who may keep a draft of which record is checked by the routes, through the record's own area.
 */
export function draftsService(db: Knex, clock: Clock) {
  return {
    async draftOf(userId: number, form: DraftForm, recordId: number): Promise<Draft | undefined> {
      return findDraft(db, { userId, form, recordId });
    },

    async saveDraft(userId: number, form: DraftForm, recordId: number, fields: TypedFields): Promise<void> {
      await upsertDraft(db, { userId, form, recordId }, fields, clock.now());
    },

    async discardDraft(userId: number, form: DraftForm, recordId: number): Promise<void> {
      await deleteDraft(db, { userId, form, recordId });
    },

    /** The record's form has been saved for good (a review completed): everyone's drafts of it are spent. */
    async discardDraftsOf(form: DraftForm, recordId: number): Promise<void> {
      await deleteDraftsOfRecord(db, form, recordId);
    },

    /** Keeps a post that could not be taken; the token returned is the only way back to it. */
    async keepPost(post: KeptPost): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db.transaction(async (trx) => {
        await deleteExpiredKeptPosts(trx, now);
        await insertKeptPost(trx, hashOf(token), post, now, new Date(now.getTime() + KEPT_POST_MINUTES * 60_000));
      });
      return token;
    },

    /**
     * What was kept for this page, for the user now signed in: given back once and then deleted.
     * Text kept for someone else is deleted unseen; text for another page waits for that page.
     */
    async takeKeptPost(token: string, userId: number, page: string): Promise<TypedFields | undefined> {
      return db.transaction(async (trx) => {
        const now = clock.now();
        await deleteExpiredKeptPosts(trx, now);
        const kept = await findKeptPost(trx, hashOf(token), now);
        if (!kept) return undefined;
        const theirs = kept.userId === null || kept.userId === userId;
        if (theirs && kept.page !== page) return undefined;
        await deleteKeptPost(trx, hashOf(token));
        return theirs ? kept.fields : undefined;
      });
    },
  };
}

export type DraftsService = ReturnType<typeof draftsService>;
