import connectPgSimple from 'connect-pg-simple';
import { Router } from 'express';
import session from 'express-session';
import type pg from 'pg';

export function setUpSession(options: { pool: pg.Pool; secret: string; secureCookies: boolean; idleMinutes: number }): Router {
  const PgStore = connectPgSimple(session);
  const router = Router();
  router.use(
    session({
      name: 'selfdirect.sid',
      store: new PgStore({ pool: options.pool, tableName: 'session', pruneSessionInterval: 15 * 60 }),
      secret: options.secret,
      resave: false,
      saveUninitialized: false,
      // Each request pushes the expiry on, so the 30 minutes are of idleness, not of the whole visit.
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: options.idleMinutes * 60 * 1000,
      },
    }),
  );
  return router;
}
