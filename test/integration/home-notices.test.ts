import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { aSubmittedPlan } from '../support/plan-builders.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';

let t: TestApp;
let services: Services;
let careManager: TestUser;
let colleague: TestUser;
let teamManager: TestUser;
let financeOfficer: TestUser;
let otherTeamCareManager: TestUser;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  const team = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  teamId = team.id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId, displayName: 'Priya Shah' });
  colleague = await aUser(t.db, { role: 'care_manager', teamId, displayName: 'Sam Patel' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId, displayName: 'Tess Manager' });
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  otherTeamCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
});
afterAll(() => t.drop());

/** The notices in one part of the "Since you last looked" section: each link's address and words, and the lines under it. */
function notices(html: string, part: 'new' | 'earlier'): { href: string; text: string; lines: string }[] {
  const section = /<section id="notices"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const [fresh = '', earlier = ''] = section.split('<details');
  return [
    ...(part === 'new' ? fresh : earlier).matchAll(/<li[^>]*>\s*<a class="govuk-link" href="([^"]+)">([^<]+)<\/a>([\s\S]*?)<\/li>/g),
  ].map((match) => ({
    href: match[1] as string,
    text: (match[2] as string).replace(/&#39;/g, "'"),
    lines: (match[3] as string)
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  }));
}

const person = (givenName: string, allocatedWorkerId: number | null = careManager.id) =>
  aPerson(t.db, { teamId, givenName, familyName: 'Case', allocatedWorkerId });

describe('the notices on a home page', () => {
  let agent: Agent;
  let colleagueAgent: Agent;
  let managerAgent: Agent;
  let planIds: { returned: number; panel: number; approved: number };
  let reviewId: number;

  beforeAll(async () => {
    agent = await signIn(t.app, careManager.email, careManager.password);
    colleagueAgent = await signIn(t.app, colleague.email, colleague.password);
    managerAgent = await signIn(t.app, teamManager.email, teamManager.password);
    // Opened once before anything happened, so everything below is "since they last looked".
    for (const each of [agent, colleagueAgent, managerAgent]) expect((await each.get('/')).status).toBe(200);

    const returned = await aSubmittedPlan(t.db, {
      person: await person('Rita'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 9_000 }],
    });
    await services.finance.returnPlan(actorOf(financeOfficer), returned.id, {
      returnReason: 'The costs do not add up',
      version: returned.version,
    });

    const panel = await aSubmittedPlan(t.db, {
      person: await person('Pat'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 12_000 }],
      panelStatus: 'awaiting',
    });
    await services.finance.panelApprove(actorOf(teamManager), panel.id, {
      agreedWeeklyPence: 11_500,
      panelNote: 'Agreed for six months',
      version: panel.version,
    });

    const approved = await anApprovedBudget(services, t.db, t.clock, {
      person: await person('Alma'),
      careManager,
      financeOfficer,
      items: [{ weeklyPence: 9_000 }],
      startDate: '2026-07-01',
    });
    reviewId = (approved.reviews[0] as { id: number }).id;
    await services.reviews.reassign(actorOf(teamManager), reviewId, { assignedTo: colleague.id, version: 1 });
    planIds = { returned: returned.id, panel: panel.id, approved: approved.plan.id };
  });

  it('tells the care manager their plan was returned (with the reason), agreed at panel and approved, and a review was allocated, each linking to its page', async () => {
    const home = await agent.get('/');
    expect(notices(home.text, 'new')).toEqual([
      {
        href: `/reviews/${reviewId}`,
        text: 'First review for Alma Case allocated to you, due 26 August 2026',
        lines: expect.stringContaining('by Gareth Lloyd'),
      },
      {
        href: `/plans/${planIds.approved}`,
        text: 'Personal budget approved for Alma Case',
        lines: expect.stringContaining('by Gareth Lloyd'),
      },
      {
        href: `/plans/${planIds.panel}`,
        text: 'Budget for Pat Case agreed at panel at £115.00 a week',
        lines: expect.stringContaining('by Tess Manager'),
      },
      {
        href: `/plans/${planIds.returned}`,
        text: 'Support plan for Rita Case returned by finance',
        lines: expect.stringMatching(/by Gareth Lloyd Reason: The costs do not add up$/),
      },
    ]);
    for (const notice of notices(home.text, 'new')) expect((await agent.get(notice.href)).status, notice.href).toBe(200);

    // Seen once, they move to "Earlier" and are not new again.
    const again = await agent.get('/');
    expect(notices(again.text, 'new')).toEqual([]);
    expect(again.text).toContain('Nothing new on your cases since you last looked.');
    expect(notices(again.text, 'earlier').map((notice) => notice.href)).toEqual([
      `/reviews/${reviewId}`,
      `/plans/${planIds.approved}`,
      `/plans/${planIds.panel}`,
      `/plans/${planIds.returned}`,
    ]);
  });

  it('tells the worker a review was given to, and nobody their own doings or another’s cases', async () => {
    const colleagueHome = await colleagueAgent.get('/');
    expect(notices(colleagueHome.text, 'new')).toEqual([
      {
        href: `/reviews/${reviewId}`,
        text: 'First review for Alma Case allocated to you, due 26 August 2026',
        lines: expect.stringContaining('by Tess Manager'),
      },
    ]);
    // The team manager agreed the panel and reassigned the review themselves: nothing to tell them.
    const managerHome = await managerAgent.get('/');
    expect(notices(managerHome.text, 'new')).toEqual([]);
    const otherTeam = await signIn(t.app, otherTeamCareManager.email, otherTeamCareManager.password);
    expect(notices((await otherTeam.get('/')).text, 'new')).toEqual([]);
    // Finance has no cases of its own, so no notices.
    const finance = await signIn(t.app, financeOfficer.email, financeOfficer.password);
    expect((await finance.get('/')).text).not.toContain('Since you last looked');
  });

  it('shows what happens after a look as new on the next, in the same number of statements however many there are', async () => {
    await agent.get('/');
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    t.appDb.on('query', record);
    await agent.get('/');
    t.appDb.off('query', record);
    const quiet = statements.length;

    for (const name of ['Una', 'Vic', 'Wyn']) {
      const plan = await aSubmittedPlan(t.db, { person: await person(name), createdBy: careManager.id, items: [{ weeklyPence: 9_000 }] });
      await services.finance.returnPlan(actorOf(financeOfficer), plan.id, { returnReason: `Check ${name}'s costs`, version: plan.version });
    }
    statements.length = 0;
    t.appDb.on('query', record);
    const home = await agent.get('/');
    t.appDb.off('query', record);
    expect(notices(home.text, 'new').map((notice) => notice.text)).toEqual([
      'Support plan for Wyn Case returned by finance',
      'Support plan for Vic Case returned by finance',
      'Support plan for Una Case returned by finance',
    ]);
    // One statement reads the notices; one more marks them seen, only when something was new.
    expect(statements.length, statements.join('\n')).toBe(quiet + 1);
    expect(statements.filter((sql) => sql.includes('from audit_events a'))).toHaveLength(1);
    expect(notices((await agent.get('/')).text, 'new')).toEqual([]);
  });
});
