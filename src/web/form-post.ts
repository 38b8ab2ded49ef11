import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { RuleError, StaleVersionError } from '../errors.js';
import type { ConflictView } from './conflict.js';
import { parseForm, singleError, type FormErrors } from './validation.js';

/** Shows a form again: with what was typed and why it was refused (400), or as first opened. */
export type ShowForm = (
  req: Request,
  res: Response,
  state: { status: number; values: Record<string, unknown>; errors: FormErrors },
) => Promise<void> | void;

/**
 * The one way a form post is taken: parse it with its zod schema; refused input shows the form
 * again with every message and what was typed; a rule the service refuses (RuleError) shows its
 * message at its field the same way; someone else's save first (StaleVersionError) gets the
 * 409 page with what was typed; success goes on with post-redirect-get.
 */
export function takeForm<S extends z.ZodType, R>(options: {
  /** A schema, or one built from the record the form is about (what it makes required). */
  schema: S | ((req: Request) => S | Promise<S>);
  anchors?: Record<string, string>;
  showForm: ShowForm;
  save: (req: Request, data: z.output<S>) => Promise<R>;
  done: (req: Request, res: Response, result: R) => void;
  conflict: (req: Request, error: StaleVersionError) => ConflictView | Promise<ConflictView>;
  /** A refusal the service explains with several messages (a RAS with more than one problem): the form again with all of them. */
  refused?: (req: Request, error: unknown) => FormErrors | undefined;
}): RequestHandler {
  return async (req, res) => {
    const values = (req.body ?? {}) as Record<string, unknown>;
    const schema = typeof options.schema === 'function' ? await options.schema(req) : options.schema;
    const form = parseForm(schema, values, options.anchors);
    if (!form.ok) {
      await options.showForm(req, res, { status: 400, values, errors: form.errors });
      return;
    }
    try {
      options.done(req, res, await options.save(req, form.data));
    } catch (error) {
      if (error instanceof StaleVersionError) {
        res.status(409).render('errors/409', { conflict: await options.conflict(req, error) });
        return;
      }
      const refused = options.refused?.(req, error);
      if (refused) {
        await options.showForm(req, res, { status: 400, values, errors: refused });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      const field = error.field ?? 'form';
      await options.showForm(req, res, { status: 400, values, errors: singleError(field, error.message, options.anchors?.[field]) });
    }
  };
}
