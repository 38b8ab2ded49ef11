import type { SignedInUser } from './auth/roles.js';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SignedInUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since the epoch), for the absolute session lifetime. */
    signedInAt?: number;
    /** When the session row was last written to keep it alive (ms since the epoch, by the app's clock). */
    keptAliveAt?: number;
  }
}

export {};
