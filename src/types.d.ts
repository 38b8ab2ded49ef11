import type { SignedInUser } from './auth/roles.js';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SignedInUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string;
    /** A confirmation shown once on the next page (src/web/banner.ts). */
    banner?: { heading: string; body?: string };
  }
}

export {};
