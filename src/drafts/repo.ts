import type { DbOrTransaction } from '../db/knex.js';
import type { DraftForm, TypedFields } from './schemas.js';

export type Draft = { fields: TypedFields; savedAt: Date };

type DraftKey = { userId: number; form: DraftForm; recordId: number };

const keyColumns = (key: DraftKey) => ({ user_id: key.userId, form: key.form, record_id: key.recordId });

export async function findDraft(db: DbOrTransaction, key: DraftKey): Promise<Draft | undefined> {
  const row = (await db('form_drafts').where(keyColumns(key)).first('fields', 'saved_at')) as
    { fields: TypedFields; saved_at: Date } | undefined;
  return row && { fields: row.fields, savedAt: row.saved_at };
}

export async function upsertDraft(db: DbOrTransaction, key: DraftKey, fields: TypedFields, savedAt: Date): Promise<void> {
  await db('form_drafts')
    .insert({ ...keyColumns(key), fields: JSON.stringify(fields), saved_at: savedAt })
    .onConflict(['user_id', 'form', 'record_id'])
    .merge(['fields', 'saved_at']);
}

export async function deleteDraft(db: DbOrTransaction, key: DraftKey): Promise<void> {
  await db('form_drafts').where(keyColumns(key)).delete();
}

export async function deleteDraftsOfRecord(db: DbOrTransaction, form: DraftForm, recordId: number): Promise<void> {
  await db('form_drafts').where({ form, record_id: recordId }).delete();
}

export type KeptPost = { userId: number | null; page: string; fields: TypedFields };

export async function insertKeptPost(db: DbOrTransaction, tokenHash: Buffer, post: KeptPost, keptAt: Date, expiresAt: Date): Promise<void> {
  await db('kept_posts').insert({
    token_hash: tokenHash,
    user_id: post.userId,
    page: post.page,
    fields: JSON.stringify(post.fields),
    kept_at: keptAt,
    expires_at: expiresAt,
  });
}

export async function findKeptPost(db: DbOrTransaction, tokenHash: Buffer, now: Date): Promise<KeptPost | undefined> {
  const row = (await db('kept_posts').where({ token_hash: tokenHash }).where('expires_at', '>', now).first('user_id', 'page', 'fields')) as
    { user_id: number | null; page: string; fields: TypedFields } | undefined;
  return row && { userId: row.user_id, page: row.page, fields: row.fields };
}

export async function deleteKeptPost(db: DbOrTransaction, tokenHash: Buffer): Promise<void> {
  await db('kept_posts').where({ token_hash: tokenHash }).delete();
}

export async function deleteExpiredKeptPosts(db: DbOrTransaction, now: Date): Promise<void> {
  await db('kept_posts').where('expires_at', '<=', now).delete();
}
