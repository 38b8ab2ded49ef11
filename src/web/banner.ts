import type { Request } from 'express';
import type { SessionData } from 'express-session';

/** A confirmation shown once, on the page the user is sent to after a decision. */
export type Banner = NonNullable<SessionData['banner']>;

/** Keeps the banner in the session until the next page is drawn, so it survives the redirect and shows only once. */
export function showBannerNext(req: Request, banner: Banner): void {
  req.session.banner = banner;
}

export function takeBanner(req: Request): Banner | null {
  const banner = req.session?.banner ?? null;
  if (banner) delete req.session.banner;
  return banner;
}
