/** Domain errors thrown by services; src/web/errors.ts turns them into pages. */

export class NotFoundError extends Error {
  constructor(what = 'Page') {
    super(`${what} not found`);
  }
}

export class ForbiddenError extends Error {
  constructor(reason = 'You do not have permission to do this') {
    super(reason);
  }
}

/** Someone else saved the record after this form was opened. */
export class StaleVersionError extends Error {
  constructor(
    readonly entity: string,
    readonly current: Record<string, unknown>,
  ) {
    super(`${entity} was changed by someone else`);
  }
}

/** A rule of the domain refused the change; the message is shown to the user. */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
