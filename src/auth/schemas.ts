import { z } from 'zod';
import { withoutControlCharacters } from '../web/form-fields.js';

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
