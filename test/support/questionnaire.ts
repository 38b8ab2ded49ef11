import { expect } from 'vitest';
import { eligibilityOutcomes, type EligibilityOutcomeKey, type UnableReason } from '../../src/assessments/eligibility.js';
import type { PersonRow } from '../../src/people/repo.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { csrfTokenFrom, type Agent } from './http.js';

/** Walking the questionnaire through its pages, as a care manager's browser would. */

export type Fields = Record<string, string | string[]>;

/**
 * DOMAIN.md's worked example: an older person needing daily help in five outcomes and some help
 * in three, with some risk: 83 points, GBP 9,130 a year with no informal support.
 */
export const workedExampleAnswers: Record<string, string> = {
  nutrition: 'every_day',
  personal_hygiene: 'every_day',
  toilet_needs: 'every_day',
  clothing: 'every_day',
  home_safety: 'every_day',
  habitable_home: 'some_days',
  relationships: 'some_days',
  work_training_education: 'no_help',
  community_facilities: 'some_days',
  caring_for_child: 'no_help',
  staying_safe: 'some_risk',
  night_time: 'no_help',
  complexity: 'not_complex',
};
export const domainKeys = defaultRasDefinition.domains.map((domain) => domain.key);

export function versionFrom(html: string): string {
  const match = /name="version" value="(\d+)"/.exec(html);
  if (!match?.[1]) throw new Error('No version field on the page');
  return match[1];
}

/** Opens the page as a browser would, takes its CSRF token and version, and posts the form. */
export async function postPage(agent: Agent, url: string, fields: Fields, postUrl = url) {
  const page = await agent.get(url);
  expect(page.status, `GET ${url}: ${page.text.slice(0, 300)}`).toBe(200);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
  return agent
    .post(postUrl)
    .type('form')
    .send({ ...(version ? { version } : {}), ...fields, _csrf: csrfTokenFrom(page.text) });
}

/** Every outcome achieved unless listed; the four reasons go in as the browser sends checkboxes. */
export function eligibilityFields(options: {
  unmet?: Partial<Record<EligibilityOutcomeKey, UnableReason[]>>;
  impairment?: 'yes' | 'no';
  impact?: 'yes' | 'no';
}): Fields {
  const fields: Fields = { arisesFromImpairment: options.impairment ?? 'yes', significantImpact: options.impact ?? 'yes' };
  for (const { key } of eligibilityOutcomes) {
    const reasons = options.unmet?.[key];
    fields[`outcomes[${key}][achieved]`] = reasons ? 'no' : 'yes';
    if (reasons) fields[`outcomes[${key}][reasons]`] = reasons;
  }
  return fields;
}

export const eligibleFacts = eligibilityFields({
  unmet: { nutrition: ['without_assistance'], personal_hygiene: ['significant_pain', 'significantly_longer'] },
});

export async function startAssessment(agent: Agent, person: PersonRow): Promise<number> {
  const response = await postPage(agent, `/people/${person.id}`, {}, `/people/${person.id}/assessments`);
  expect(response.status, response.text.slice(0, 300)).toBe(302);
  const match = /^\/assessments\/(\d+)$/.exec(response.headers.location ?? '');
  expect(match, `redirected to ${response.headers.location}`).not.toBeNull();
  return Number(match?.[1]);
}

/** Answers every section with "Save and continue", following the redirects as a browser would. */
export async function completeQuestionnaire(
  agent: Agent,
  id: number,
  options: { answers?: Record<string, string>; eligibility?: Fields; informalSupport?: string; carer?: boolean } = {},
): Promise<string[]> {
  const answers = options.answers ?? workedExampleAnswers;
  const visited: string[] = [];
  let url = options.carer ? `/assessments/${id}/domains/${domainKeys[0]}` : `/assessments/${id}/eligibility`;
  while (!url.endsWith('/check-answers')) {
    visited.push(url);
    let fields: Fields;
    // As a browser sends them: whether each outcome is achieved, then the reasons on their own page.
    const eligibility = Object.entries(options.eligibility ?? eligibleFacts);
    if (url.endsWith('/eligibility')) fields = Object.fromEntries(eligibility.filter(([name]) => !name.endsWith('[reasons]')));
    else if (url.endsWith('/eligibility/reasons')) fields = Object.fromEntries(eligibility.filter(([name]) => name.endsWith('[reasons]')));
    else if (url.endsWith('/adjustments')) fields = { 'answers[informal_support]': options.informalSupport ?? 'none' };
    else {
      const key = url.split('/').pop() as string;
      fields = { [`answers[${key}]`]: answers[key] as string };
    }
    const response = await postPage(agent, url, { ...fields, action: 'continue' });
    expect(response.status, `POST ${url}: ${response.text.slice(0, 500)}`).toBe(302);
    url = response.headers.location as string;
  }
  return visited;
}

export async function submitAssessment(agent: Agent, id: number) {
  return postPage(agent, `/assessments/${id}/check-answers`, {}, `/assessments/${id}/submit`);
}
