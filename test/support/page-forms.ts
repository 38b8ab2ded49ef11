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
 * ticked checkboxes and radios, and textareas, with the values the page filled in. Buttons are
 * left out, as a browser leaves out every button but the one pressed.
 */
export function formFieldsFrom(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`No form posting to ${action} on the page`);
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input\b[^>]*>/g)) {
    const input = attributes(match[0]);
    if (!input.name) continue;
    const type = input.type ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !('checked' in input)) continue;
    fields[input.name] = input.value ?? '';
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
