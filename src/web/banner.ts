import type { Request, RequestHandler, Response } from 'express';
import { readCookie, signerFor } from './cookies.js';

/** A confirmation shown once, on the page the user is sent to after a decision. */
export type Banner = { heading: string; body?: string; important?: boolean };

type BannerCookie = { show: (banner: Banner) => void; take: () => Banner | null };

const bannerCookies = new WeakMap<Request, BannerCookie>();

/**
 * The banner rides to the next page in a short-lived signed cookie rather than in the session.
 * The browser applies a cookie as the response's headers arrive, so the redirect after a post
 * always carries it and the page that shows it always clears it; a session, saved only after the
 * headers have gone, could let a quick next request read it before it was written (or bring back
 * one already shown). The signature stops another site or a script planting words of its own.
 */
export function setUpBanners(options: { secret: string; secureCookies: boolean }): RequestHandler {
  const cookieName = options.secureCookies ? '__Host-selfdirect.banner' : 'selfdirect.banner';
  const signer = signerFor(options.secret, 'banner');
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' } as const;

  function read(req: Request): Banner | null {
    const [payload, signature] = (readCookie(req, cookieName) ?? '').split('.');
    if (!payload || !signature || !signer.verify(payload, signature)) return null;
    try {
      const banner = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Banner;
      return typeof banner.heading === 'string' ? banner : null;
    } catch {
      return null;
    }
  }

  return (req, res: Response, next) => {
    bannerCookies.set(req, {
      show: (banner) => {
        const payload = Buffer.from(JSON.stringify(banner)).toString('base64url');
        res.cookie(cookieName, `${payload}.${signer.sign(payload)}`, { ...cookieOptions, maxAge: 5 * 60 * 1000 });
      },
      take: () => {
        const banner = read(req);
        if (banner && !res.headersSent) res.clearCookie(cookieName, cookieOptions);
        return banner;
      },
    });
    next();
  };
}

/** Shows the banner on the next page drawn, once. */
export function showBannerNext(req: Request, banner: Banner): void {
  bannerCookies.get(req)?.show(banner);
}

export function takeBanner(req: Request): Banner | null {
  return bannerCookies.get(req)?.take() ?? null;
}
