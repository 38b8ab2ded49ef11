import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ejsEngine } from '../../src/web/views.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'selfdirect-views-'));
  mkdirSync(path.join(dir, 'pages'));
  mkdirSync(path.join(dir, 'partials'));
  writeFileSync(path.join(dir, 'pages', 'page.ejs'), `<h1><%= title %></h1><%- include('../partials/box', { label: 'A & B' }) %>`);
  // An include's own includes are found relative to it, and see what was passed to it and the page's locals.
  writeFileSync(path.join(dir, 'partials', 'box.ejs'), `<div><%- include('leaf', { extra: 1 }) %></div>`);
  writeFileSync(path.join(dir, 'partials', 'leaf.ejs'), `<%= label %> in <%= title %>, <%= extra %><%= locals.unset ? ' unset' : '' %>`);
  writeFileSync(path.join(dir, 'pages', 'broken.ejs'), `<%= missing.field %>`);
  // What is passed to an include comes before the caller's own locals of the same name.
  writeFileSync(
    path.join(dir, 'pages', 'shadowed.ejs'),
    `<%= label %>/<%- include('../partials/leaf', { label: 'inner', extra: Math.max(2, 3) }) %>`,
  );
  writeFileSync(
    path.join(dir, 'pages', 'optional.ejs'),
    `[<%= typeof notGiven === 'undefined' ? 'none' : notGiven %>]<% [1, 2].forEach((n) => { %><%= n * factor %><% }) %>`,
  );
  // locals.name reads what was passed or, failing that, what the caller could read.
  writeFileSync(
    path.join(dir, 'pages', 'by-name.ejs'),
    `<%- include('../partials/hint', { hint: 'Passed' }) %>|<%- include('../partials/hint') %>|<%- include('../partials/hint', { other: 1 }) %>`,
  );
  writeFileSync(path.join(dir, 'partials', 'hint.ejs'), `<%= locals.hint || 'no hint' %>`);
  // Laid out as templates are, indented, with a scriptlet on a line of its own.
  writeFileSync(
    path.join(dir, 'pages', 'indented.ejs'),
    `<ul>\n  <% items.forEach((item) => { %>\n    <li>  <%= item %>  </li>\n\n  <% }) %>\n</ul>\n<textarea>  <%= text %></textarea>`,
  );
  // The same name included from two folders is two files: each found relative to its includer.
  writeFileSync(path.join(dir, 'pages', 'leaf.ejs'), `page's leaf`);
  writeFileSync(
    path.join(dir, 'pages', 'two-leaves.ejs'),
    `<%- include('leaf') %>|<%- include('../partials/box', { label: 'L' }) %>|<%- include('leaf') %>`,
  );
  // A template that reads its locals as a whole is given all of them, the passed before the caller's.
  writeFileSync(path.join(dir, 'pages', 'whole.ejs'), `<%- include('../partials/keys', { b: 'passed' }) %>`);
  writeFileSync(
    path.join(dir, 'partials', 'keys.ejs'),
    `<%= title %>: <%= ['a', 'b', 'c'].map((key) => key + '=' + locals[key]).join(' ') %>`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

function render(engine: ReturnType<typeof ejsEngine>, file: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    engine(path.join(dir, 'pages', file), locals, (error, html) => (error ? reject(error) : resolve(html ?? '')));
  });
}

describe('the view engine', () => {
  it('draws a page with its includes as EJS does, escaping what it prints', async () => {
    const locals = { title: 'Home <1>', cache: true };
    const expected = await ejs.renderFile(path.join(dir, 'pages', 'page.ejs'), locals);
    expect(await render(ejsEngine(), 'page.ejs', locals)).toBe(expected);
    expect(expected).toBe('<h1>Home &lt;1&gt;</h1><div>A &amp; B in Home &lt;1&gt;, 1</div>');
  });

  it('finds an include relative to the file that includes it, each time', async () => {
    const engine = ejsEngine();
    const expected = `page's leaf|<div>L in T, 1</div>|page's leaf`;
    expect(await render(engine, 'two-leaves.ejs', { title: 'T', cache: true })).toBe(expected);
    expect(await render(engine, 'two-leaves.ejs', { title: 'T', cache: true })).toBe(expected);
  });

  it('compiles each template once while the view cache is on, and on every page while it is off', async () => {
    const compile = vi.spyOn(ejs, 'compile');
    const cached = ejsEngine();
    await render(cached, 'page.ejs', { title: 'One', cache: true });
    await render(cached, 'page.ejs', { title: 'Two', cache: true });
    // Twice each: once to find the locals it reads, once to take them as its own variables.
    expect(compile).toHaveBeenCalledTimes(6);
    compile.mockClear();
    const reloading = ejsEngine();
    await render(reloading, 'page.ejs', { title: 'One', cache: false });
    await render(reloading, 'page.ejs', { title: 'Two', cache: false });
    expect(compile).toHaveBeenCalledTimes(12);
  });

  it('gives an include what is passed to it before the caller’s locals of the same name, and JavaScript’s own globals', async () => {
    expect(await render(ejsEngine(), 'shadowed.ejs', { label: 'outer', title: 'Page', cache: true })).toBe('outer/inner in Page, 3');
  });

  it('reads each local a template uses as a variable of its own, and one the page does not give as undefined', async () => {
    expect(await render(ejsEngine(), 'optional.ejs', { factor: 5, cache: true })).toBe('[none]510');
    expect(await render(ejsEngine(), 'optional.ejs', { factor: 1, notGiven: 'given', cache: true })).toBe('[given]12');
  });

  it('gives locals.name what was passed or what the caller could read, as EJS does', async () => {
    const locals = { hint: 'From the page', cache: true };
    const expected = await ejs.renderFile(path.join(dir, 'pages', 'by-name.ejs'), locals);
    expect(await render(ejsEngine(), 'by-name.ejs', locals)).toBe(expected);
    expect(expected).toBe('Passed|From the page|From the page');
    expect(await render(ejsEngine(), 'by-name.ejs', { cache: true })).toBe('Passed|no hint|no hint');
  });

  it('gives every local to a template that reads them as a whole, and those it names as its own variables', async () => {
    const locals = { a: 'page', b: 'page', title: 'Keys', cache: true };
    const expected = await ejs.renderFile(path.join(dir, 'pages', 'whole.ejs'), locals);
    expect(await render(ejsEngine(), 'whole.ejs', locals)).toBe(expected);
    expect(expected).toBe('Keys: a=page b=passed c=undefined');
  });

  it('passes a template’s error to Express rather than throwing it', async () => {
    await expect(render(ejsEngine(), 'broken.ejs', { cache: true })).rejects.toThrow(/missing/);
  });

  it('leaves out the indentation of the template’s own layout, and keeps what it prints as given', async () => {
    const html = await render(ejsEngine(), 'indented.ejs', { items: ['a', 'b'], text: '  kept  \n  as typed', cache: true });
    expect(html).toBe('<ul>\n\n<li>  a  </li>\n\n<li>  b  </li>\n\n</ul>\n<textarea>    kept  \n  as typed</textarea>');
  });
});
