import { formatPence } from '../money.js';
import { personName } from '../people/presenters.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { Link } from '../web/view-models.js';
import type { Notice } from './notices-repo.js';

/** Seen notices stay a little while under "Earlier", for whoever glanced past them. */
const EARLIER_SHOWN = 5;

/** One notice: what happened as a link to where to act on it, then when, by whom, and any reason given. */
export type NoticeItem = { link: Link; when: string; reason: string | null };

function noticeItem(notice: Notice): NoticeItem {
  const name = personName(notice.person);
  const plan = `/plans/${notice.entityId}`;
  const when = `${formatDateTime(notice.occurredAt)}${notice.byName ? ` by ${notice.byName}` : ''}`;
  const reason = notice.returnReason ? `Reason: ${notice.returnReason}` : null;
  switch (notice.action) {
    case 'plan_approved':
      return { link: { href: plan, text: `Personal budget approved for ${name}` }, when, reason: null };
    case 'plan_returned':
      return { link: { href: plan, text: `Support plan for ${name} returned by finance` }, when, reason };
    case 'plan_panel_returned':
      return { link: { href: plan, text: `Support plan for ${name} returned by panel` }, when, reason };
    case 'plan_panel_approved': {
      const amount = notice.panelAgreedWeeklyPence === null ? '' : ` at ${formatPence(notice.panelAgreedWeeklyPence)} a week`;
      return { link: { href: plan, text: `Budget for ${name} agreed at panel${amount}` }, when, reason: null };
    }
    case 'review_scheduled':
    case 'review_reassigned': {
      const review = notice.review ? `${reviewKindLabels[notice.review.kind]} for ${name}` : `Review for ${name}`;
      const due = notice.review ? `, due ${formatDate(notice.review.dueDate)}` : '';
      return { link: { href: `/reviews/${notice.entityId}`, text: `${review} allocated to you${due}` }, when, reason: null };
    }
  }
}

/** "Since you last looked", then the few seen before; null for a home page without cases. */
export function noticesView(notices: readonly Notice[] | undefined) {
  if (!notices) return null;
  const fresh = notices.filter((notice) => notice.isNew).map(noticeItem);
  const earlier = notices
    .filter((notice) => !notice.isNew)
    .slice(0, EARLIER_SHOWN)
    .map(noticeItem);
  return { fresh, earlier };
}
