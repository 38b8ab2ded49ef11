import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

// Compiled on install/start rather than committed, so the CSS always matches the installed govuk-frontend.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = sass.compile(path.join(root, 'public/scss/app.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
mkdirSync(path.join(root, 'public/build'), { recursive: true });
writeFileSync(path.join(root, 'public/build/app.css'), result.css);
