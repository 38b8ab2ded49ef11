import { readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import ejs from 'ejs';
import { analyze } from 'eslint-scope';

type Locals = Record<string, unknown>;
type Callback = (error: Error | null, html?: string) => void;

/**
 * The names a compiled template reads from outside itself, leaving JavaScript's own (Math,
 * String): the locals it uses. Found by parsing it and resolving its scopes, as ESLint does.
 */
function localsReadBy(template: ejs.ClientFunction): string[] {
  const program = acorn.parse(`(${template.toString()})`, { ecmaVersion: 'latest', ranges: true });
  const { globalScope } = analyze(program as Parameters<typeof analyze>[0], { ecmaVersion: 2022 });
  const names = new Set((globalScope?.through ?? []).map((reference) => reference.identifier.name));
  return [...names].filter((name) => !(name in globalThis));
}

/**
 * EJS as the view engine, with each include found once. EJS's own renderer looks for an included
 * file on disk at every include and copies the page's locals twice over for it; a table draws
 * each cell through an include, so a queue of 50 plans spent a fifth of its time there. Here
 * each template is compiled by EJS (as a function that takes its include function as an
 * argument, the form EJS documents for compiling ahead) and every include is resolved the way
 * EJS resolves it, relative to the including file, once per pair of files. Templates are kept
 * compiled when Express's view cache is on and read again on every page when it is off.
 *
 * EJS reads a template's locals through a `with` block by default, which V8 cannot optimise.
 * With it, and a copy of the locals for each cell, a table of 50 rows took four to five times as
 * long. Here each template instead starts by taking the locals it reads (localsReadBy) as
 * variables of its own, EJS's `destructuredLocals`; a local the page does not give is undefined
 * rather than an error. An include sees its caller's locals through the prototype of those passed
 * to it, rather than a copy of them all for every cell.
 */
export function ejsEngine() {
  const compiled = new Map<string, ejs.ClientFunction>();
  const resolved = new Map<string, string>();

  const templateAt = (file: string, cache: boolean): ejs.ClientFunction => {
    const kept = cache ? compiled.get(file) : undefined;
    if (kept) return kept;
    const text = readFileSync(file, 'utf8');
    const options = { client: true, filename: file, _with: false, strict: false } as const;
    const template = ejs.compile(text, { ...options, destructuredLocals: localsReadBy(ejs.compile(text, options)) });
    if (cache) compiled.set(file, template);
    return template;
  };

  const includedFrom = (file: string, name: string): string => {
    const key = `${file}\0${name}`;
    let found = resolved.get(key);
    if (found === undefined) {
      found = ejs.resolveInclude(name, file);
      resolved.set(key, found);
    }
    return found;
  };

  const render = (file: string, locals: Locals, cache: boolean): string =>
    templateAt(file, cache)(
      locals,
      ejs.escapeXML,
      // As EJS does: an include sees the including template's locals and those passed to it.
      (name: string, passed?: Locals) =>
        render(includedFrom(file, name), passed ? (Object.assign(Object.create(locals), passed) as Locals) : locals, cache),
    );

  return (file: string, options: object, callback: Callback): void => {
    let html: string;
    try {
      html = render(file, options as Locals, (options as { cache?: boolean }).cache === true);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, html);
  };
}
