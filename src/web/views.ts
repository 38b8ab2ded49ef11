import { readFileSync } from 'node:fs';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type Callback = (error: Error | null, html?: string) => void;

/**
 * EJS as the view engine, with each include found once. EJS's own renderer looks for an included
 * file on disk at every include and copies the page's locals twice over for it; a table draws
 * each cell through an include, so a queue of 50 plans spent a fifth of its time there. Here
 * each template is compiled by EJS (as a function that takes its include function as an
 * argument, the form EJS documents for compiling ahead) and every include is resolved the way
 * EJS resolves it, relative to the including file, once per pair of files. Templates are kept
 * compiled when Express's view cache is on and read again on every page when it is off.
 */
export function ejsEngine() {
  const compiled = new Map<string, ejs.ClientFunction>();
  const resolved = new Map<string, string>();

  const templateAt = (file: string, cache: boolean): ejs.ClientFunction => {
    const kept = cache ? compiled.get(file) : undefined;
    if (kept) return kept;
    const template = ejs.compile(readFileSync(file, 'utf8'), { client: true, filename: file });
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
      (name: string, passed?: Locals) => render(includedFrom(file, name), { ...locals, ...passed }, cache),
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
