import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** One cookie's value; the app reads only its own few cookies, so a full parser is not needed. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * HMAC-SHA256 signatures for what the app hands the browser and must get back unaltered (a CSRF
 * token, a banner), each purpose under a key of its own derived from the session secret.
 */
export function signerFor(secret: string, purpose: string) {
  const key = createHmac('sha256', secret).update(`selfdirect ${purpose}`).digest();
  const sign = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    sign,
    /** In constant time, so the answer's timing gives away nothing of the right signature. */
    verify(text: string, signature: string): boolean {
      const given = Buffer.from(signature);
      const expected = Buffer.from(sign(text));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
