import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers hold only if something checks them: templates read view-models (camelCase, built by
 * presenters), never database rows (snake_case columns); and the rules (services, repos, pure
 * rules) know nothing of HTTP or pages, so they never import from src/web.
 */

function filesUnder(folder: string, ending: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(ending))
    .map((file) => path.join(folder, file))
    .sort();
}

/** The code inside a template's <% %> tags, with string literals blanked so 'errors/404' or 'older_people' do not count. */
function templateCode(source: string): string {
  const code = [...source.matchAll(/<%[-=_]?([\s\S]*?)[-_]?%>/g)].map((match) => match[1] ?? '').join('\n');
  return code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

/** `row.given_name`, `plan.panel_status`: a property read whose name has an underscore. */
export function snakeCaseReads(source: string): string[] {
  return [...templateCode(source).matchAll(/[\w$\])]\.([a-z][a-z0-9]*_[a-z0-9_]+)\b/g)].map((match) => match[1] as string);
}

const templates = filesUnder('views', '.ejs');
const ruleFiles = filesUnder('src', '.ts').filter((file) => {
  const name = path.basename(file);
  const inWeb = file.startsWith(path.join('src', 'web'));
  // Schemas read forms, and tables.ts lays out home-page tables: both belong to the web side of an area.
  const webSide = ['routes.ts', 'presenters.ts', 'schemas.ts', 'tables.ts', 'app.ts', 'server.ts', 'cli.ts'];
  // A feature's own files in an area count the same: finance/ending-routes.ts is a routes.ts, db/migrate-cli.ts a cli.ts.
  return !inWeb && !webSide.some((side) => name === side || name.endsWith(`-${side}`));
});

describe('templates read view-models only', () => {
  it('finds a snake_case read, so the check below can fail', () => {
    expect(snakeCaseReads("<%= person.given_name %> <% if (plan.panel_status === 'awaiting') { %>")).toEqual([
      'given_name',
      'panel_status',
    ]);
    expect(snakeCaseReads("<%= formatPence(x) %> <%- include('errors/four_oh_four') %>")).toEqual([]);
  });

  it.each(templates)('%s reads no database column', (file) => {
    expect(snakeCaseReads(readFileSync(file, 'utf8'))).toEqual([]);
  });
});

describe('services, repos and rules do not depend on the web layer', () => {
  it.each(ruleFiles)('%s imports nothing from src/web', (file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] as string);
    const fromWeb = imports.filter((target) => path.resolve(path.dirname(file), target).startsWith(path.resolve('src', 'web')));
    expect(fromWeb).toEqual([]);
  });
});
