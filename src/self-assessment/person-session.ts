import type { Request } from 'express';
import type { Person } from '../people/repo.js';
import type { PersonAccess } from './service.js';

declare module 'express-session' {
  interface SessionData {
    /**
     * A person signed in to their own online self-assessment with an access code. Such a session
     * has no passport user, so to every staff page it is a signed-out visitor.
     */
    personAccess?: PersonAccess;
  }
}

/** The person whose session this is, once the person-access check has found them. */
const signedInPeople = new WeakMap<Request, Person>();

export function rememberSignedInPerson(req: Request, person: Person): void {
  signedInPeople.set(req, person);
}

export function signedInPerson(req: Request): Person {
  const person = signedInPeople.get(req);
  if (!person) throw new Error('The person-access check must run before this route');
  return person;
}

export function personActorFrom(req: Request): PersonAccess & { requestId: string } {
  const access = req.session.personAccess;
  if (!access) throw new Error('The person-access check must run before this route');
  return { ...access, requestId: String(req.id ?? '') };
}
