import { z } from 'zod';
import { withoutControlCharacters } from '../web/form-fields.js';
import { MIN_PASSWORD_LENGTH } from './password-strength.js';

export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .check(withoutControlCharacters('email address'))
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer'),
  password: z
    .string()
    .check(withoutControlCharacters('password'))
    .min(1, 'Enter your password')
    .max(200, 'Password must be 200 characters or fewer'),
});

export const codeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .trim()
    .check(withoutControlCharacters('code'))
    .min(1, 'Enter the 6-digit code from your authenticator app')
    .max(40, 'Enter the 6-digit code from your authenticator app, or a recovery code'),
});

export const enrolSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .trim()
    .min(1, 'Enter the 6-digit code from your authenticator app')
    .regex(/^\d{3}\s?\d{3}$/, 'The code must be 6 digits, like 123456'),
});

/** A new password; how guessable it is, which needs the person's name, is the service's check. */
function newPassword(label: string) {
  return z
    .string({ error: `Enter ${label}` })
    .check(withoutControlCharacters('password'))
    .min(1, `Enter ${label}`)
    .min(MIN_PASSWORD_LENGTH, `Password must be ${MIN_PASSWORD_LENGTH} characters or more`)
    .max(200, 'Password must be 200 characters or fewer');
}

export const setPasswordSchema = z
  .object({
    password: newPassword('a password'),
    confirmPassword: z.string({ error: 'Enter the password again' }).min(1, 'Enter the password again'),
  })
  .refine((form) => form.password === form.confirmPassword, { message: 'The passwords do not match', path: ['confirmPassword'] });

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'Enter your current password' })
      .min(1, 'Enter your current password')
      .max(200, 'Password must be 200 characters or fewer'),
    newPassword: newPassword('a new password'),
    confirmPassword: z.string({ error: 'Enter the new password again' }).min(1, 'Enter the new password again'),
  })
  .refine((form) => form.newPassword === form.confirmPassword, { message: 'The passwords do not match', path: ['confirmPassword'] });
