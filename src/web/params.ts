import { z } from 'zod';
import { NotFoundError } from '../errors.js';

const idSchema = z.coerce.number().int().positive().max(2147483647);

/** A route id that is not a whole number names nothing, so it is a 404 like any unknown id. */
export function idParam(value: unknown, what = 'Page'): number {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new NotFoundError(what);
  return parsed.data;
}
