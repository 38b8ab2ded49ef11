import { z } from 'zod';
import { roles } from '../auth/roles.js';
import { choice, positiveId, requiredText, versionField, withoutControlCharacters } from '../web/form-fields.js';

const teamField = z
  .union([z.literal(''), positiveId('Select a team')])
  .optional()
  .transform((value) => (value === '' || value === undefined ? null : value));

const needsTeam = (user: { role: string; teamId: number | null }) =>
  !(user.role === 'care_manager' || user.role === 'team_manager') || user.teamId !== null;
const teamMessage = { message: 'Select a team for a care manager or team manager', path: ['teamId'] };

const whoTheyAre = {
  displayName: requiredText('their full name'),
  email: z
    .string()
    .trim()
    .check(withoutControlCharacters('email address'))
    .toLowerCase()
    .pipe(z.email('Enter an email address in the correct format, like name@example.gov.uk')),
};

export const newUserSchema = z
  .object({ ...whoTheyAre, role: choice(roles, 'Select a role'), teamId: teamField })
  .refine(needsTeam, teamMessage);

/** The first administrator, named at the command line with the same rules as the add-user form. */
export const firstAdministratorSchema = z.object(whoTheyAre);
export type NewUserInput = z.output<typeof newUserSchema>;

export const editUserSchema = z
  .object({
    displayName: requiredText('their full name'),
    role: choice(roles, 'Select a role'),
    teamId: teamField,
    active: choice(['yes', 'no'] as const, 'Select whether the account is active').transform((value) => value === 'yes'),
    version: versionField,
  })
  .refine(needsTeam, teamMessage);
export type EditUserInput = z.output<typeof editUserSchema>;

export const newTeamSchema = z.object({ name: requiredText('the team name', 60) });
