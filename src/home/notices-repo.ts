import type { AuditAction } from '../audit/actions.js';
import type { DbOrTransaction } from '../db/knex.js';
import { prepared } from '../db/prepared.js';
import type { ReviewKind } from '../reviews/repo.js';
import type { ListedPerson } from './repo.js';

/**
 * "Since you last looked": what others did to a worker's cases, read from the audit trail the
 * changes already write, so nothing extra is written when a plan is decided or a review allocated.
 * The list in migration 121's index must stay the same as this one, or the index goes unused.
 */
export const noticeActions = [
  'plan_approved',
  'plan_returned',
  'plan_panel_approved',
  'plan_panel_returned',
  'review_scheduled',
  'review_reassigned',
] as const satisfies readonly AuditAction[];
export type NoticeAction = (typeof noticeActions)[number];

/** How far back a notice is news: a worker back from a fortnight's leave still sees what happened. */
export const NOTICE_DAYS = 14;

/** The most a home page shows; the newest first. */
export const NOTICES_READ = 20;

export type Notice = {
  eventId: number;
  occurredAt: Date;
  action: NoticeAction;
  /** The plan or review the notice is about. */
  entityId: number;
  person: ListedPerson;
  byName: string | null;
  /** New since the user last opened their home page. */
  isNew: boolean;
  returnReason: string | null;
  panelAgreedWeeklyPence: number | null;
  review: { kind: ReviewKind; dueDate: string } | null;
};

type NoticeRow = {
  id: string;
  occurred_at: Date;
  action: NoticeAction;
  entity_id: string;
  after: Record<string, unknown> | null;
  by_name: string | null;
  person_id: number;
  given_name: string;
  family_name: string;
  reference: string;
  client_group: ListedPerson['clientGroup'];
  review_kind: ReviewKind | null;
  review_due_date: string | null;
  is_new: boolean;
};

function toNotice(row: NoticeRow): Notice {
  const after = row.after ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    eventId: Number(row.id),
    occurredAt: row.occurred_at,
    action: row.action,
    entityId: Number(row.entity_id),
    person: {
      id: row.person_id,
      givenName: row.given_name,
      familyName: row.family_name,
      reference: row.reference,
      clientGroup: row.client_group,
    },
    byName: row.by_name,
    isNew: row.is_new,
    returnReason: text(after.return_reason),
    panelAgreedWeeklyPence: typeof after.panel_agreed_weekly_pence === 'number' ? after.panel_agreed_weekly_pence : null,
    review: row.review_kind && row.review_due_date ? { kind: row.review_kind, dueDate: row.review_due_date } : null,
  };
}

/**
 * One user's notices since `since`, newest first, in one statement: decisions on plans they wrote,
 * sent, or whose person is allocated to them, and reviews given to them, by someone else, about
 * people still in their team. Each is new when it came after the last event they were shown.
 */
export async function noticesFor(
  db: DbOrTransaction,
  user: { id: number; teamId: number },
  since: Date,
  limit = NOTICES_READ,
): Promise<Notice[]> {
  // Written into the text, not bound: only a plan that sees the actions can use the partial index,
  // and the statement is planned once for every user.
  const actions = noticeActions.map((action) => `'${action}'`).join(', ');
  // Prepared: every home page of a case worker reads it, and planning it took 15 times as long as running it.
  const result = await prepared(
    db.raw(
      `select a.id, a.occurred_at, a.action, a.entity_id, a.after, u.display_name as by_name,
            p.id as person_id, p.given_name, p.family_name, p.reference, p.client_group,
            r.kind as review_kind, r.due_date as review_due_date,
            a.id > coalesce((select last_event_id from notices_seen where user_id = ?), 0) as is_new
       from audit_events a
       join people p on p.id = a.person_id
       left join users u on u.id = a.user_id
       left join support_plans s on a.entity_type = 'support_plan'
                                 and s.id = case when a.entity_type = 'support_plan' then a.entity_id::integer end
       left join reviews r on a.entity_type = 'review'
                           and r.id = case when a.entity_type = 'review' then a.entity_id::integer end
      where a.action in (${actions})
        and a.occurred_at >= ?
        and a.user_id is distinct from ?
        and p.team_id = ?
        and (s.created_by = ? or s.submitted_by = ? or (s.id is not null and p.allocated_worker_id = ?)
             or (r.id is not null and a.after->>'assigned_to' = ?))
      order by a.occurred_at desc, a.id desc
      limit ?`,
      [user.id, since, user.id, user.teamId, user.id, user.id, user.id, String(user.id), limit],
    ),
  );
  return (result.rows as NoticeRow[]).map(toNotice);
}

/** The user has been shown every event up to this one; the marker never moves back. */
export async function markNoticesSeen(db: DbOrTransaction, userId: number, lastEventId: number): Promise<void> {
  await db.raw(
    `insert into notices_seen (user_id, last_event_id) values (?, ?)
     on conflict (user_id) do update set last_event_id = greatest(notices_seen.last_event_id, excluded.last_event_id)`,
    [userId, lastEventId],
  );
}
