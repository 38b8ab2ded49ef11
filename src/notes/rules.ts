import type { SignedInUser } from '../auth/roles.js';
import type { CaseNote } from './repo.js';

/** A note may be put right by whoever wrote it for a day; after that it stands, as a paper file would. */
export const CORRECTION_HOURS = 24;

export function correctableUntil(note: Pick<CaseNote, 'writtenAt'>): Date {
  return new Date(note.writtenAt.getTime() + CORRECTION_HOURS * 3_600_000);
}

export function canCorrectNote(user: Pick<SignedInUser, 'id'>, note: Pick<CaseNote, 'writtenBy' | 'writtenAt'>, now: Date): boolean {
  return note.writtenBy === user.id && now < correctableUntil(note);
}
