import { z } from 'zod';
import { roles } from '../auth/roles.js';
import { choice, optionalText, positiveId, requiredText, versionField, withoutControlCharacters } from '../web/form-fields.js';

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

/** How the people a team supports reach it: printed on their plan, so both are checked for shape. */
export const teamContactSchema = z.object({
  phone: optionalText('the team’s phone number', 40).refine(
    (phone) => phone === '' || /^\+?[\d ()-]{6,}$/.test(phone),
    'Enter a phone number, like 01632 960 001',
  ),
  email: optionalText('the team’s email address', 200).refine(
    (email) => email === '' || z.email().safeParse(email).success,
    'Enter an email address in the correct format, like team@council.gov.uk',
  ),
  version: versionField,
});
export type TeamContactInput = z.output<typeof teamContactSchema>;
