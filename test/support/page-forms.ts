import { expect } from 'vitest';
import type { Agent } from './http.js';

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#34;': '"' };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#34);/g, (entity) => entities[entity] ?? entity);

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z][\w-]*)(?:="([^"]*)")?/g)) found[match[1] as string] = unescape(match[2] ?? '');
  return found;
}

/**
 * The fields a browser would send from the form posting to `action`: text and hidden inputs,
 * ticked checkboxes and radios, selects and textareas, with the values the page filled in. Buttons are
 * left out, as a browser leaves out every button but the one pressed.
 */
export function formFieldsFrom(html: string, action: string): Record<string, string> {
  // The header's search sends a GET to /people, where the add-person form posts: only a posting form counts.
  const tag = [...html.matchAll(/<form\b[^>]*>/g)].find((found) => {
    const form = attributes(found[0]);
    return form.action === action && form.method === 'post';
  });
  if (!tag) throw new Error(`No form posting to ${action} on the page`);
  const end = html.indexOf('</form>', tag.index);
  const form = html.slice(tag.index, end);
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input\b[^>]*>/g)) {
    const input = attributes(match[0]);
    if (!input.name) continue;
    const type = input.type ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !('checked' in input)) continue;
    fields[input.name] = input.value ?? '';
  }
  // A select sends its selected option, or its first when none is selected.
  for (const match of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const select = attributes(match[1] ?? '');
    const options = [...(match[2] ?? '').matchAll(/<option\b[^>]*>/g)].map((option) => attributes(option[0]));
    const chosen = options.find((option) => 'selected' in option) ?? options[0];
    if (select.name && chosen) fields[select.name] = chosen.value ?? '';
  }
  for (const match of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const textarea = attributes(match[1] ?? '');
    if (textarea.name) fields[textarea.name] = unescape(match[2] ?? '');
  }
  return fields;
}

/**
 * Opens a page, fills in its form as the page shows it, changes some fields (null clears a
 * field away, as an unticked box), and posts it: what a person does in a browser.
 */
export async function changeAndSubmit(agent: Agent, pageUrl: string, action: string, changes: Record<string, string | null> = {}) {
  const page = await agent.get(pageUrl);
  expect(page.status, `GET ${pageUrl}`).toBe(200);
  const fields = formFieldsFrom(page.text, action);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  return agent.post(action).type('form').send(fields);
}

/** The texts of the error summary's links, in order. */
export function errorSummaryOf(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((match) => unescape(match[2] ?? ''));
}

/** The error summary as [link target, text] pairs. */
export function errorSummaryLinks(html: string): [string, string][] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((match) => [match[1] ?? '', unescape(match[2] ?? '')]);
}

/** The inline error message shown for a field, without the hidden "Error:" prefix. */
export function inlineErrorOf(html: string, fieldId: string): string | undefined {
  const match = new RegExp(
    `<p id="${fieldId}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]*)</p>`,
  ).exec(html);
  return match ? unescape(match[1] ?? '') : undefined;
}

/** The value an input was filled with. */
export function inputValueOf(html: string, fieldId: string): string | undefined {
  for (const match of html.matchAll(/<input\b[^>]*>/g)) {
    const input = attributes(match[0]);
    if (input.id === fieldId) return input.value ?? '';
  }
  return undefined;
}

/** A field of a form; `labelled` is a box with a label that a person types into or chooses from. */
export type PageField = { name: string; kind: 'text' | 'textarea' | 'hidden' | 'choice' | 'button'; type: string; labelled: boolean };
export type PageForm = {
  method: 'get' | 'post';
  /** As written in the page; "" for the page's own address. */
  action: string;
  /** What a browser sends when the form's first named button is pressed, in page order; a name may repeat. */
  values: [string, string][];
  fields: PageField[];
};

const formElements = /<input\b[^>]*>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>|<button\b[^>]*>/g;

/**
 * Every <form> on a page, filled in as a person would leave it: what the page filled in, ticked
 * boxes as ticked, and the first option of a radio group or select where none was chosen.
 */
export function formsOn(html: string): PageForm[] {
  const labelled = new Set([...html.matchAll(/<label\b[^>]*\bfor="([^"]+)"/g)].map((match) => unescape(match[1] ?? '')));
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const form = attributes(match[1] ?? '');
    const body = match[2] ?? '';
    const inputs = [...body.matchAll(/<input\b[^>]*>/g)].map((input) => attributes(input[0]));
    const answeredRadios = new Set(inputs.filter((input) => input.type === 'radio' && 'checked' in input).map((input) => input.name));
    const values: [string, string][] = [];
    const fields = new Map<string, PageField>();
    const declare = (name: string, kind: PageField['kind'], type: string, id?: string) => {
      if (!fields.has(name)) fields.set(name, { name, kind, type, labelled: id !== undefined && labelled.has(id) });
    };
    const add = (name: string, value: string, kind: PageField['kind'], type: string, id?: string) => {
      declare(name, kind, type, id);
      values.push([name, value]);
    };
    for (const element of body.matchAll(formElements)) {
      const tag = element[0];
      if (tag.startsWith('<textarea')) {
        const textarea = attributes(element[1] ?? '');
        if (textarea.name) add(textarea.name, unescape(element[2] ?? '').replace(/^\n/, ''), 'textarea', 'textarea', textarea.id);
      } else if (tag.startsWith('<select')) {
        const select = attributes(element[3] ?? '');
        const options = [...(element[4] ?? '').matchAll(/<option\b[^>]*>/g)].map((option) => attributes(option[0]));
        const chosen = options.find((option) => 'selected' in option) ?? options[0];
        if (select.name) add(select.name, chosen?.value ?? '', 'choice', 'select', select.id);
      } else if (tag.startsWith('<button')) {
        const button = attributes(tag);
        const pressed = [...fields.values()].some((field) => field.kind === 'button');
        if (button.name && !pressed && (button.type ?? 'submit') === 'submit') add(button.name, button.value ?? '', 'button', 'submit');
      } else {
        const input = attributes(tag);
        const type = input.type ?? 'text';
        if (!input.name || type === 'submit' || type === 'button' || type === 'file') continue;
        if (type === 'checkbox' || type === 'radio') {
          const firstUnanswered = type === 'radio' && !answeredRadios.has(input.name) && !fields.has(input.name);
          if ('checked' in input || firstUnanswered) add(input.name, input.value ?? 'on', 'choice', type, input.id);
          else declare(input.name, 'choice', type, input.id);
          continue;
        }
        add(input.name, input.value ?? '', type === 'hidden' ? 'hidden' : 'text', type, input.id);
      }
    }
    return {
      method: form.method?.toLowerCase() === 'post' ? 'post' : 'get',
      action: form.action ?? '',
      values,
      fields: [...fields.values()],
    };
  });
}

/** What a sighted reader sees of some HTML: its text without tags or what only screen readers hear. */
export const seenText = (html: string) =>
  html
    .replace(/<span class="govuk-visually-hidden">[\s\S]*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
