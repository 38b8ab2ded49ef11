import type { SignedInUser } from '../auth/roles.js';
import { describeEvent } from '../audit/describe.js';
import { formatDateTime } from '../web/format.js';
import type { Link } from '../web/view-models.js';
import type { NoteKind, TimelineEntry } from './repo.js';
import { canCorrectNote } from './rules.js';

export const noteKindLabels: Record<NoteKind, string> = {
  phone_call: 'Phone call',
  visit: 'Visit',
  email: 'Email',
  letter: 'Letter',
  meeting: 'Meeting',
  note: 'Note',
};

/** One line of "What has happened": a note shows what its author wrote, and to them, for a day, a link to correct it. */
export type TimelineItem = {
  what: string;
  when: string;
  note?: { involved: string; text: string; recorded: string; correctLink: Link | null };
};

/** A person's timeline, newest first, for the user reading it at `now`. */
export function timelineItems(entries: readonly TimelineEntry[], viewer: { user: SignedInUser; now: Date }): TimelineItem[] {
  return entries.map((entry): TimelineItem => {
    if (entry.source === 'event') {
      return {
        what: describeEvent(entry.action, entry.after),
        when: `${formatDateTime(entry.at)}${entry.userName ? ` by ${entry.userName}` : ''}`,
      };
    }
    const { note } = entry;
    const kind = noteKindLabels[note.kind];
    const corrected = note.correctedAt ? `, corrected ${formatDateTime(note.correctedAt)}` : '';
    return {
      what: kind,
      when: formatDateTime(note.contactAt),
      note: {
        involved: note.involved ? `With ${note.involved}` : '',
        text: note.body,
        recorded: `Recorded ${formatDateTime(note.writtenAt)}${entry.userName ? ` by ${entry.userName}` : ''}${corrected}`,
        correctLink: canCorrectNote(viewer.user, note, viewer.now)
          ? {
              href: `/notes/${note.id}/edit`,
              text: 'Correct this note',
              hiddenText: `(${kind.toLowerCase()}, ${formatDateTime(note.contactAt)})`,
            }
          : null,
      },
    };
  });
}
