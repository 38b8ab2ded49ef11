import type { RequestHandler } from 'express';
import type { Request } from 'express';
import { takeBanner, type Banner } from './banner.js';
import { headerSearchFor, navigationFor, signedInAs } from './navigation.js';

/** Why the sign-in page is shown, when the app signed the user out itself. */
function signedOutNotice(req: Request, sessionAbsoluteHours: number): Banner | null {
  if (req.path !== '/sign-in') return null;
  if (req.query.signedOut === 'kept') {
    return {
      heading: 'Your session ended before you saved',
      body: 'Nothing was saved, but we kept what you typed. Sign in again and it will be shown to you on the form.',
      important: true,
    };
  }
  if (req.query.signedOut === 'idle') {
    return {
      heading: 'You have been signed out',
      body: 'You were signed out because you had not done anything for a while. Sign in again to carry on.',
      important: true,
    };
  }
  if (req.query.signedOut !== 'expired') return null;
  return {
    heading: 'You have been signed out',
    body: `You can stay signed in for up to ${sessionAbsoluteHours} hours. Sign in again to carry on.`,
    important: true,
  };
}

/** Values every view may use; set once per request so views never reach into req. */
export function setUpLocals(councilName: string, sessionAbsoluteHours: number): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    res.locals.councilName = councilName;
    res.locals.serviceName = 'Selfdirect';
    // Who is signed in is known only once the session has been read, after this runs, so the
    // header is worked out when a page is drawn; a page drawn before then has no navigation.
    Object.defineProperties(res.locals, {
      navigation: { enumerable: true, get: () => navigationFor(req.user, path) },
      signedInAs: { enumerable: true, get: () => signedInAs(req.user) },
      headerSearch: { enumerable: true, get: () => headerSearchFor(req.user) },
      // Read when a page is drawn, which is the moment it has been shown.
      confirmationBanner: { enumerable: true, get: () => takeBanner(req) ?? signedOutNotice(req, sessionAbsoluteHours) },
    });
    next();
  };
}
