import path from 'node:path';
import { fileURLToPath } from 'node:url';
import connectPgSimple from 'connect-pg-simple';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import pg from 'pg';
import { z } from 'zod';

/**
 * The bare app the page benchmark compares Selfdirect with: Express 5, helmet, express-session
 * with connect-pg-simple on the same database, and an EJS page filled from one query (a person
 * read by primary key), whatever the path. What is left when the app's own work is taken away.
 */
const env = z
  .object({
    DATABASE_URL: z.url(),
    PORT: z.coerce.number().int().min(1).max(65535),
    BASELINE_PERSON_ID: z.coerce.number().int().min(1),
  })
  .parse(process.env);

const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
const PgStore = connectPgSimple(session);
const app = express();
app.set('view engine', 'ejs');
app.set('views', path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-views'));
app.use(helmet());
app.use(
  session({
    name: 'baseline.sid',
    store: new PgStore({ pool, tableName: 'session' }),
    secret: 'baseline-secret-that-is-long-enough-for-anything',
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 30 * 60 * 1000 },
  }),
);

declare module 'express-session' {
  interface SessionData {
    signedIn: boolean;
  }
}

app.get('/start', (req, res) => {
  req.session.signedIn = true;
  res.send('signed in');
});

app.get('/{*path}', async (req, res) => {
  if (!req.session.signedIn) {
    res.redirect('/start');
    return;
  }
  const { rows } = await pool.query('select reference, given_name, family_name, date_of_birth, postcode from people where id = $1', [
    env.BASELINE_PERSON_ID,
  ]);
  res.render('page', { person: rows[0] as Record<string, string> | undefined });
});

app.listen(env.PORT);
