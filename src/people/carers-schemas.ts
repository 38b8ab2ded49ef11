import { z } from 'zod';
import { withoutControlCharacters } from '../web/form-fields.js';

export const carerLinkSchema = z.object({
  reference: z
    .string({ error: 'Enter the council reference of the person they care for' })
    .trim()
    .check(withoutControlCharacters('council reference'))
    .toUpperCase()
    .min(1, 'Enter the council reference of the person they care for')
    .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, 'Council reference must be 3 to 20 letters, numbers or hyphens, like SD-00123'),
});
