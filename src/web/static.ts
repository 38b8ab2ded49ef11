import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function setUpStaticFiles(): Router {
  const router = Router();
  const govuk = path.join(root, 'node_modules/govuk-frontend/dist/govuk');
  const options = { maxAge: '1h', index: false };
  // The compiled GOV.UK CSS looks for its fonts and images under /assets.
  router.use('/assets', express.static(path.join(govuk, 'assets'), options));
  router.use('/govuk', express.static(govuk, { ...options, extensions: false }));
  router.use('/public', express.static(path.join(root, 'public'), options));
  return router;
}

export const viewsDir = path.join(root, 'views');
