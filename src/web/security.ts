import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import helmet from 'helmet';

/** A fresh nonce per response, so every script we serve is named in the CSP and nothing inline runs. */
export function setUpSecurity(secureCookies: boolean): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Over plain http on a developer's machine, upgrading would break every form post.
          upgradeInsecureRequests: secureCookies ? [] : null,
        },
      },
      hsts: secureCookies ? { maxAge: 31536000, includeSubDomains: true, preload: true } : false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  return router;
}
