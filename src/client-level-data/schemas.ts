import { z } from 'zod';
import { quarterOf, type Quarter } from './quarters.js';

const quarterMessage = 'Enter a quarter like 2026-27 Q2';

/** "2026-27 Q2" as staff write it (a slash, lower case and spaces are fine); the years must follow on. */
export const quarterSchema = z
  .string({ error: quarterMessage })
  .trim()
  .max(20, quarterMessage)
  .transform((typed, context): Quarter => {
    const match = /^(\d{4})\s*[-/]\s*(\d{2})\s*Q([1-4])$/i.exec(typed);
    const year = Number(match?.[1]);
    if (!match || year < 2000 || Number(match[2]) !== (year + 1) % 100) {
      context.addIssue({ code: 'custom', message: quarterMessage, input: typed });
      return z.NEVER;
    }
    return quarterOf(year, Number(match[3]) as 1 | 2 | 3 | 4);
  });

export const quarterQuerySchema = z.object({ quarter: quarterSchema });
