import { afterAll, beforeAll, expect, it } from 'vitest';
import { eligibilityOutcomes } from '../../src/assessments/eligibility.js';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { describeInBrowser, expectNoAxeViolations, signInAs, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { domainKeys, workedExampleAnswers } from '../support/questionnaire.js';
import { publishedRas } from '../support/ras-builders.js';

let h: BrowserHarness;
let careManager: TestUser;
let person: PersonRow;

beforeAll(async () => {
  h = await startBrowserHarness();
  await publishedRas(h.t.db);
  const team = await aTeam(h.t.db, 'North');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Carol Manning' });
  person = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Maud',
    familyName: 'Online',
    reference: 'SD-07001',
    dateOfBirth: '1941-05-09',
  });
});
afterAll(() => h?.close());

describeInBrowser('the online self-assessment in a browser', () => {
  it('the person fills it in on a 320px phone and the care manager goes through it with them', async () => {
    const staff = await h.newPage();
    await signInAs(staff, careManager.email, careManager.password);
    await staff.goto(`/people/${person.id}`);
    await staff.getByRole('button', { name: 'Give an access code' }).click();
    await staff.waitForURL('**/self-assessment/access-code');
    await expectNoAxeViolations(staff, 'invitation letter');
    const code = await staff.locator('#access-code').innerText();

    const phone = await h.newPage({ viewport: { width: 320, height: 640 } });
    const fitsTheScreen = async (label: string) => {
      const width = (await phone.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width, `${label} is wider than the screen`).toBeLessThanOrEqual(320);
      await expectNoAxeViolations(phone, label);
    };
    await phone.goto('/your-assessment');
    await fitsTheScreen('the person’s sign-in');
    await phone.getByLabel('Your council reference').fill('SD-07001');
    await phone.getByLabel('Day').fill('9');
    await phone.getByLabel('Month').fill('5');
    await phone.getByLabel('Year').fill('1941');
    await phone.getByLabel('Access code').fill('WRONG-CODE-0');
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.locator('.govuk-error-summary').waitFor();
    await fitsTheScreen('the person’s sign-in refused');
    await phone.getByLabel('Access code').fill(code);
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.waitForURL('**/your-assessment/overview');
    await fitsTheScreen('the person’s start page');

    await phone.getByRole('button', { name: 'Start now' }).click();
    await phone.waitForURL('**/questions/nutrition');
    await phone.getByRole('button', { name: 'Save and continue' }).click();
    await phone.locator('.govuk-error-summary').waitFor();
    await fitsTheScreen('a question left unanswered');
    const answers: Record<string, string> = { ...workedExampleAnswers, informal_support: 'none' };
    for (const key of [...domainKeys, 'informal_support']) {
      // Every question page is one template: axe on the first, with its note open, and on the one with two-part wording.
      if (key === 'nutrition' || key === 'informal_support') {
        await phone.locator('details.govuk-details summary').click();
        await fitsTheScreen(`the question page ${key}`);
      }
      await phone.locator(`input[name="answers[${key}]"][value="${answers[key]}"]`).check();
      await phone.getByRole('button', { name: 'Save and continue' }).click();
      await phone.waitForLoadState();
    }
    await phone.waitForURL('**/your-assessment/check-answers');
    await fitsTheScreen('check your answers');
    await phone.getByRole('button', { name: 'Send my answers' }).click();
    await phone.getByText('Your answers have been sent').waitFor();
    await fitsTheScreen('answers sent');

    await staff.goto(`/people/${person.id}`);
    await staff.getByRole('link', { name: 'Go through the answers with Maud Online' }).click();
    await expectNoAxeViolations(staff, 'answers before going through them');
    await staff.getByRole('button', { name: 'Start going through the answers' }).click();
    await staff.locator('#agreed-nutrition-3').check();
    await staff.locator('#reasons-nutrition').fill('Her daughter cooks on most days');
    await expectNoAxeViolations(staff, 'going through the answers');
    await staff.getByRole('button', { name: 'Save the agreed answers' }).click();
    await staff.getByText('The agreed answers are saved').waitFor();
    await expectNoAxeViolations(staff, 'agreed answers saved');

    // Eligibility is recorded on the staff assessment's own pages (tested with them); here it is set directly.
    const [{ assessment_id: assessmentId }] = await h.t.db('self_assessments').where({ person_id: person.id });
    const outcomes = Object.fromEntries(
      eligibilityOutcomes.map(({ key }) => [
        key,
        key === 'nutrition' || key === 'personal_hygiene'
          ? { achieved: false, reasons: ['without_assistance'] }
          : { achieved: true, reasons: [] },
      ]),
    );
    await h.t
      .db('assessments')
      .where({ id: assessmentId })
      .update({
        eligibility: JSON.stringify({ arisesFromImpairment: true, outcomes, significantImpactOnWellbeing: true }),
      });
    await staff.reload();
    await staff.getByRole('button', { name: 'Submit the assessment' }).click();
    await staff.waitForURL(`**/assessments/${assessmentId}/result`);
    await expect(staff.locator('main').innerText()).resolves.toContain('£8,470');

    await staff.goto(
      `/self-assessments/${await h.t
        .db('self_assessments')
        .where({ person_id: person.id })
        .first('id')
        .then((row: { id: number }) => row.id)}/review`,
    );
    await expect(staff.locator('table').innerText()).resolves.toContain('Her daughter cooks on most days');
    await expectNoAxeViolations(staff, 'the person’s and the agreed answers side by side');

    // Afterwards, the person reads in their own space how the budget from the agreed answers was worked out.
    await phone.goto('/your-assessment/overview');
    await fitsTheScreen('the person’s overview with their results');
    await phone.getByRole('link', { name: 'How your indicative budget was worked out' }).click();
    await phone.waitForURL('**/your-assessment/budget-explanation');
    await expect(phone.locator('main').innerText()).resolves.toContain('£8,470');
    await fitsTheScreen('the person’s budget explanation');
  });
});
