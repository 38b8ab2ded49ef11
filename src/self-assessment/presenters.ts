import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { personName } from '../people/presenters.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { PostButton, SummaryRow, Tag } from '../web/view-models.js';
import { londonDateOf } from '../calendar.js';
import { accessCodeInGroups } from './access-code.js';
import type { SelfAssessmentStatus } from './repo.js';
import type { SelfAssessmentSection } from './service.js';

export const entryPath = '/your-assessment';
export const overviewPath = `${entryPath}/overview`;
export const signOutPath = `${entryPath}/sign-out`;
export const invitationPath = (personId: number) => `/people/${personId}/self-assessment/access-code`;
export const revokePath = (personId: number) => `/people/${personId}/self-assessment/access-code/revoke`;

export function signInView(values: Record<string, unknown>, errors: FormErrors) {
  return { values, errors };
}

/** The letter the care manager prints: how to reach the online self-assessment, and the code, shown this once. */
export function letterView(invited: { person: Person; code: string; expiresAt: Date }, entryUrl: string, councilName: string) {
  const name = personName(invited.person);
  return {
    title: `Invitation letter for ${name}`,
    personHref: `/people/${invited.person.id}`,
    name,
    reference: invited.person.reference,
    entryUrl,
    code: accessCodeInGroups(invited.code),
    expires: formatDate(londonDateOf(invited.expiresAt)),
    councilName,
  };
}

const statusTags: Record<SelfAssessmentStatus | 'not_started', Tag> = {
  not_started: { text: 'Not started', colour: 'grey' },
  in_progress: { text: 'In progress', colour: 'light-blue' },
  submitted: { text: 'Ready to go through', colour: 'blue' },
  reviewed: { text: 'Gone through', colour: 'green' },
};

/** The person page's section: the code the person has, how far they have got, and what the care manager may do. */
export function selfAssessmentSectionView(section: SelfAssessmentSection): PersonPageSection {
  const { person, invitation, selfAssessment } = section;
  const rows: SummaryRow[] = [
    {
      key: 'Access code',
      value: !invitation
        ? 'None given'
        : invitation.expired
          ? `Expired on ${formatDateTime(invitation.expiresAt)}`
          : `Given on ${formatDateTime(invitation.createdAt)}, works until ${formatDateTime(invitation.expiresAt)}`,
    },
    { key: 'Their answers', tag: statusTags[selfAssessment?.status ?? 'not_started'] },
  ];
  if (selfAssessment?.submittedAt) rows.push({ key: 'Sent to the council', value: formatDateTime(selfAssessment.submittedAt) });
  const buttons: PostButton[] = [];
  if (section.canEdit) {
    buttons.push({
      action: invitationPath(person.id),
      text: invitation ? 'Give a new access code' : 'Give an access code',
      hiddenText: `to ${personName(person)}`,
      secondary: true,
    });
    if (invitation && !invitation.expired) {
      buttons.push({
        action: revokePath(person.id),
        text: 'Revoke the access code',
        hiddenText: `of ${personName(person)}`,
        secondary: true,
      });
    }
  }
  return {
    partial: 'self-assessment/_person-section',
    model: {
      selfAssessment: {
        rows,
        buttons,
        newCodeHint: invitation && section.canEdit ? 'A new code stops the earlier one working.' : null,
      },
    },
  };
}

/** The person's own header: their name and how to sign out; the staff navigation is never shown to them. */
export function personHeaderView(person: Person) {
  return { name: personName(person), signOutAction: signOutPath };
}

export function overviewView(person: Person) {
  return { title: 'Your self-assessment', name: personName(person) };
}
