import { readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import ejs from 'ejs';
import { analyze } from 'eslint-scope';

type Locals = Record<string, unknown>;
type Callback = (error: Error | null, html?: string) => void;

/** A template compiled, and the locals it reads (localsReadBy). */
type Compiled = { template: ejs.ClientFunction; reads: LocalsRead };

/** The locals a template reads by name, and whether it also reads `locals` as a whole. */
type LocalsRead = { names: readonly string[]; whole: boolean };

/** What an include is given: what was passed to it, then whatever its caller could read. */
type Scope = { values: Locals; outer: Scope | undefined };

/**
 * The locals a compiled template reads: the names it uses from outside itself, leaving
 * JavaScript's own (Math, String), and those it reads as `locals.name`. Found by parsing it and
 * resolving its scopes, as ESLint does. `whole` when it also reads `locals` some other way
 * (`locals[name]`, or passing it on), so every local must be given.
 */
function localsReadBy(template: ejs.ClientFunction): LocalsRead {
  const program = acorn.parse(`(${template.toString()})`, { ecmaVersion: 'latest', ranges: true });
  const { globalScope, scopes } = analyze(program as Parameters<typeof analyze>[0], { ecmaVersion: 2022 });
  const names = new Set((globalScope?.through ?? []).map((reference) => reference.identifier.name).filter((name) => !(name in globalThis)));
  const byName = new Set<acorn.Node>();
  walk.simple(program, {
    MemberExpression(node) {
      if (!node.computed && node.object.type === 'Identifier' && node.property.type === 'Identifier') {
        byName.add(node.object);
        if (node.object.name === 'locals') names.add(node.property.name);
      }
    },
  });
  // EJS's compiled function (the first function scope) takes the locals as its parameter `locals`.
  const parameter = scopes.find((scope) => scope.type === 'function')?.set.get('locals');
  const readWhole = (parameter?.references ?? []).some((reference) => !byName.has(reference.identifier as unknown as acorn.Node));
  return { names: [...names], whole: readWhole };
}

/** What `scope` gives for `name`: the innermost that has it. */
function valueIn(scope: Scope | undefined, name: string): unknown {
  for (let at = scope; at; at = at.outer) if (Object.hasOwn(at.values, name)) return at.values[name];
  return undefined;
}

/**
 * The locals for a template, each read once from the scope. Built in the same order every time,
 * so each template's locals have one shape that V8 reads quickly.
 */
function localsFor(reads: LocalsRead, scope: Scope): Locals {
  if (reads.whole) {
    const outermostFirst: Locals[] = [];
    for (let at: Scope | undefined = scope; at; at = at.outer) outermostFirst.unshift(at.values);
    return Object.assign({}, ...outermostFirst) as Locals;
  }
  const locals: Locals = {};
  for (const name of reads.names) locals[name] = valueIn(scope, name);
  return locals;
}

const MARKUP = /[&<>'"]/;

/**
 * EJS's escaping, for only the text that needs it: most of what a page prints (names, dates,
 * amounts) has no character to escape, and EJS's global replace still walked every such text,
 * a twelfth of a form page's time.
 */
function escaped(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return MARKUP.test(text) ? ejs.escapeXML(text) : text;
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
 * rather than an error. An include sees what is passed to it and then its caller's locals (a
 * Scope), as with EJS; each template is given an object of just the locals it reads. Giving it
 * the caller's locals as the prototype of those passed instead made a prototype of every
 * caller's locals, on every page, which V8 makes slowly: a tenth of a simple page's time.
 */
export function ejsEngine() {
  const compiled = new Map<string, Compiled>();
  // By including file, then by the name it includes: a key joined from the two would be a new
  // string to hash at every include, and a list of 20 rows makes over a hundred.
  const resolved = new Map<string, Map<string, string>>();

  const templateAt = (file: string, cache: boolean): Compiled => {
    const kept = cache ? compiled.get(file) : undefined;
    if (kept) return kept;
    const text = readFileSync(file, 'utf8');
    // rmWhitespace: the templates' indentation, laid out for reading, was a sixth of a search
    // page's bytes (14.8 KB for 20 people, 12.5 KB without), each run of it written out on its own.
    const options = { client: true, filename: file, _with: false, strict: false, rmWhitespace: true } as const;
    const reads = localsReadBy(ejs.compile(text, options));
    const template = { template: ejs.compile(text, { ...options, destructuredLocals: [...reads.names] }), reads };
    if (cache) compiled.set(file, template);
    return template;
  };

  const includedFrom = (file: string, name: string): string => {
    let byName = resolved.get(file);
    if (byName === undefined) {
      byName = new Map();
      resolved.set(file, byName);
    }
    let found = byName.get(name);
    if (found === undefined) {
      found = ejs.resolveInclude(name, file);
      byName.set(name, found);
    }
    return found;
  };

  const render = (file: string, scope: Scope, cache: boolean): string => {
    const { template, reads } = templateAt(file, cache);
    return template(localsFor(reads, scope), escaped, (name: string, passed?: Locals) =>
      render(includedFrom(file, name), passed ? { values: passed, outer: scope } : scope, cache),
    );
  };

  return (file: string, options: object, callback: Callback): void => {
    let html: string;
    try {
      html = render(file, { values: options as Locals, outer: undefined }, (options as { cache?: boolean }).cache === true);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, html);
  };
}
