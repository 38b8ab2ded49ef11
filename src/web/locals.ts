import type { RequestHandler } from 'express';
import { describeEvent } from '../audit/describe.js';
import { roleLabels } from '../auth/roles.js';
import { formatPence } from '../money.js';
import { escapeHtml, formatDate, formatDateTime } from './format.js';

/** Values every view may use; set once per request so views never reach into req. */
export function setUpLocals(councilName: string): RequestHandler {
  return (req, res, next) => {
    res.locals.councilName = councilName;
    res.locals.serviceName = 'Selfdirect';
    res.locals.currentPath = req.path;
    res.locals.roleLabels = roleLabels;
    res.locals.formatPence = formatPence;
    res.locals.formatDate = formatDate;
    res.locals.formatDateTime = formatDateTime;
    res.locals.escapeHtml = escapeHtml;
    res.locals.describeEvent = describeEvent;
    next();
  };
}
