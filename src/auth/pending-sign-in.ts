import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /**
     * Between the password and the code: who passed the password step, and the secret being
     * set up on a first sign-in (kept here, not on the account, until a code proves the app has it).
     * `req.user` stays empty until the code step is passed, so nothing else treats them as signed in.
     */
    pendingSignIn?: { userId: number; enrolled: boolean; enrolSecret?: string };
  }
}

export const codeStepPath = '/sign-in/code';
export const enrolStepPath = '/sign-in/set-up-authenticator';

export function secondStepFor(req: Request): string | null {
  const pending = req.session?.pendingSignIn;
  if (!pending) return null;
  return pending.enrolled ? codeStepPath : enrolStepPath;
}
