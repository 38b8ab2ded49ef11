import { adjustmentQuestions, type Question } from '../assessments/questionnaire.js';
import type { AssessmentType } from '../assessments/repo.js';
import type { RasDefinition } from '../ras/definition.js';

/**
 * The questionnaire as the person reads it at home: the same RAS questions and options (so the
 * answers score exactly as a care manager's would), with page titles in everyday words and a
 * "What this means" note for each page. The RAS's own wording stands wherever nothing plainer is
 * written here, so a council's own questions still work.
 */
type Wording = { title: string; text?: string; hint?: string; whatThisMeans: string };

const domainWording: Record<string, Wording> = {
  nutrition: {
    title: 'Eating and drinking',
    whatThisMeans:
      'We want to know if you can get enough to eat and drink: shopping for food, making meals and drinks, and eating them. Think about a normal week, including your bad days.',
  },
  personal_hygiene: {
    title: 'Keeping clean',
    whatThisMeans: 'This is about washing yourself, having a bath or shower, and keeping your clothes clean.',
  },
  toilet_needs: {
    title: 'Using the toilet',
    whatThisMeans: 'This is about getting to the toilet in time, using it, and managing any problems with your bladder or bowels.',
  },
  clothing: {
    title: 'Getting dressed',
    whatThisMeans: 'This is about putting clothes on and taking them off, and choosing clothes that are right for the weather.',
  },
  home_safety: {
    title: 'Getting around your home safely',
    whatThisMeans: 'This is about moving around your home, using the stairs, and using the kitchen and bathroom without getting hurt.',
  },
  habitable_home: {
    title: 'Looking after your home',
    whatThisMeans: 'This is about keeping your home clean and warm, with water and power working, and paying your bills.',
  },
  relationships: {
    title: 'Family, friends and other people',
    whatThisMeans: 'This is about seeing or talking to the people who matter to you, and not being lonely or cut off.',
  },
  work_training_education: {
    title: 'Work, learning and volunteering',
    whatThisMeans:
      'This is about having a job, going to college or a course, or volunteering, if you want to. If you do not want to do any of these, choose "I do not need help".',
  },
  community_facilities: {
    title: 'Getting out and about',
    whatThisMeans: 'This is about using buses and trains, going to the shops, seeing your doctor, and going to places you enjoy.',
  },
  caring_for_child: {
    title: 'Looking after a child',
    whatThisMeans:
      'This is only about a child you look after, such as your son, daughter or grandchild. If you do not look after a child, choose "I do not need help".',
  },
  staying_safe: {
    title: 'Staying safe',
    whatThisMeans:
      'This is about things that could hurt you or other people, such as falling, getting lost, or people taking advantage of you.',
  },
  night_time: {
    title: 'At night',
    whatThisMeans:
      'This is about help you need between going to bed and getting up, such as turning over, using the toilet or taking medicine.',
  },
  complexity: {
    title: 'Special skills or training',
    text: 'Does the help you need have to come from people with special skills or training?',
    whatThisMeans:
      'Some help needs training, such as giving some medicines, using a hoist, or supporting someone whose health or behaviour changes from day to day.',
  },
};

const adjustmentWording: Record<string, Wording & { labels?: Record<string, string> }> = {
  informal_support: {
    title: 'Help from family and friends',
    text: 'Do family or friends help you, and want to keep helping?',
    hint: 'Only count help they want to keep giving. Nobody has to keep caring for you.',
    labels: { none: 'No, or not for much longer', some: 'Yes, with some things', a_lot: 'Yes, with a lot of things' },
    whatThisMeans:
      'Help that family or friends are happy to keep giving is part of your support. It can lower the amount of money you need from the council. It is never taken for granted: your care manager will talk to them too.',
  },
};

const genericWhatThisMeans =
  'Think about a normal week, including your bad days. If you are not sure, choose the answer closest to your life: your care manager will go through every answer with you.';

/** One page of the person's questionnaire: a RAS domain, or the questions about help from family and friends. */
export type PersonPage = { key: string; title: string; whatThisMeans: string; questions: Question[] };

export const familyAndFriendsKey = 'family-and-friends';

/** The pages in order. Carers answer the domains only, as on the staff questionnaire. */
export function personPages(definition: RasDefinition, type: AssessmentType): PersonPage[] {
  const pages: PersonPage[] = definition.domains.map((domain) => {
    const wording = domainWording[domain.key];
    return {
      key: domain.key,
      title: wording?.title ?? domain.title,
      whatThisMeans: wording?.whatThisMeans ?? genericWhatThisMeans,
      questions: domain.questions.map((question) => {
        const plain = domain.questions.length === 1 ? wording : undefined;
        return {
          ...question,
          text: plain?.text ?? question.text,
          ...((plain?.hint ?? question.hint) ? { hint: plain?.hint ?? question.hint } : {}),
        };
      }),
    };
  });
  const adjustments = adjustmentQuestions(definition);
  if (type === 'carer' || adjustments.length === 0) return pages;
  const first = adjustmentWording[adjustments[0]?.key ?? ''];
  pages.push({
    key: familyAndFriendsKey,
    title: first?.title ?? 'Help from family and friends',
    whatThisMeans: first?.whatThisMeans ?? genericWhatThisMeans,
    questions: adjustments.map((question) => {
      const plain = adjustmentWording[question.key];
      return {
        key: question.key,
        text: plain?.text ?? question.text,
        ...((plain?.hint ?? question.hint) ? { hint: (plain?.hint ?? question.hint) as string } : {}),
        options: question.options.map((option) => ({ key: option.key, label: plain?.labels?.[option.key] ?? option.label })),
      };
    }),
  });
  return pages;
}
