import { formatDateTime } from '../web/format.js';
import type { Draft } from './repo.js';

/** What the form page says about typing kept for the user, if anything. */
export type DraftState = { kind: 'none' } | { kind: 'offered'; draft: Draft } | { kind: 'continuing'; draft: Draft } | { kind: 'kept' };

export type DraftNoticeView = {
  heading: string;
  body: string;
  continueHref: string | null;
  discardAction: string | null;
};

/** The banner at the top of a long form: a draft to continue or discard, or text kept through a session ending. */
export function draftNoticeView(state: DraftState, paths: { page: string; discard: string }): DraftNoticeView | null {
  switch (state.kind) {
    case 'none':
      return null;
    case 'offered':
      return {
        heading: `You have a draft saved on ${formatDateTime(state.draft.savedAt)}`,
        body: 'Only you can see it. Continue with it, or discard it and start from what is saved.',
        continueHref: `${paths.page}?draft=continue`,
        discardAction: paths.discard,
      };
    case 'continuing':
      return {
        heading: `This is your draft saved on ${formatDateTime(state.draft.savedAt)}`,
        body: 'Nothing in it counts until you save the form. Only you can see it.',
        continueHref: null,
        discardAction: paths.discard,
      };
    case 'kept':
      return {
        heading: 'We kept what you typed when your session ended',
        body: 'Nothing was saved. Check it and save the form again.',
        continueHref: null,
        discardAction: null,
      };
  }
}
