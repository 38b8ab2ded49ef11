import type { RasDefinition, RasDomain, RasOption } from './definition.js';

/**
 * The ten outcomes of the Care and Support (Eligibility Criteria) Regulations 2015, reg. 2(2).
 * The eligibility determination is made on these alone, not on the three extra RAS domains.
 */
export const defaultEligibilityOutcomeKeys = [
  'nutrition',
  'personal_hygiene',
  'toilet_needs',
  'clothing',
  'home_safety',
  'habitable_home',
  'relationships',
  'work_training_education',
  'community_facilities',
  'caring_for_child',
] as const;

export type EligibilityOutcomeKey = (typeof defaultEligibilityOutcomeKeys)[number];

const outcomeOptions: RasOption[] = [
  { key: 'no_help', label: 'I do not need help', points: 0 },
  { key: 'occasional_prompting', label: 'I need reminding or prompting now and then', points: 2 },
  { key: 'some_days', label: 'I need help on some days', points: 6 },
  { key: 'every_day', label: 'I need help every day', points: 12 },
  { key: 'two_people', label: 'I need help from two people every time', points: 20 },
];

/** Each outcome domain holds one question under the same key, so answers read { nutrition: 'every_day' }. */
function outcomeDomain(key: EligibilityOutcomeKey, title: string, text: string, hint: string): RasDomain {
  return { key, title, questions: [{ key, text, hint, options: outcomeOptions.map((option) => ({ ...option })) }] };
}

/**
 * The RAS seeded for a new council, from DOMAIN.md. Admins are expected to change it.
 * Worked figures: 83 points for an older person with no adjustment gives 913,000 pence a year
 * (17,558 pence a week); the highest score, 255 points, for learning disability gives 3,697,500
 * pence, over the ceiling.
 */
export const defaultRasDefinition: RasDefinition = {
  name: 'Default RAS 2026',
  minimumPoints: 8,
  floorPence: 0,
  ceilingPence: 3_000_000,
  pricePoints: {
    older_people: 11_000,
    physical_disability: 13_000,
    learning_disability: 14_500,
    mental_health: 12_000,
    sensory_impairment: 12_500,
  },
  domains: [
    outcomeDomain(
      'nutrition',
      'Managing and maintaining nutrition',
      'How much help do you need to manage and maintain nutrition?',
      'For example, getting food and drink, preparing meals, and eating and drinking enough.',
    ),
    outcomeDomain(
      'personal_hygiene',
      'Maintaining personal hygiene',
      'How much help do you need to keep yourself clean?',
      'For example, washing, bathing or showering, and washing your clothes.',
    ),
    outcomeDomain(
      'toilet_needs',
      'Managing toilet needs',
      'How much help do you need to manage your toilet needs?',
      'For example, getting to the toilet in time, using it, and managing continence.',
    ),
    outcomeDomain(
      'clothing',
      'Being appropriately clothed',
      'How much help do you need to be dressed in clothes that suit you and the weather?',
      'For example, getting dressed and undressed, and choosing what to wear.',
    ),
    outcomeDomain(
      'home_safety',
      'Being able to make use of the home safely',
      'How much help do you need to use your home safely?',
      'For example, moving around your home, getting in and out, and using the kitchen and bathroom.',
    ),
    outcomeDomain(
      'habitable_home',
      'Maintaining a habitable home environment',
      'How much help do you need to keep your home clean, safe and fit to live in?',
      'For example, cleaning, keeping the heating and water working, and paying rent and bills.',
    ),
    outcomeDomain(
      'relationships',
      'Developing and maintaining family or other personal relationships',
      'How much help do you need to keep in touch with family and friends, and to make new relationships?',
      'For example, seeing or phoning people, or help if you feel lonely or cut off.',
    ),
    outcomeDomain(
      'work_training_education',
      'Accessing and engaging in work, training, education or volunteering',
      'How much help do you need to work, train, learn or volunteer?',
      'For example, finding something to do, getting there, and taking part.',
    ),
    outcomeDomain(
      'community_facilities',
      'Making use of necessary facilities or services in the local community',
      'How much help do you need to use places and services in your local community?',
      'For example, public transport, shops, your GP surgery, and leisure or recreational facilities.',
    ),
    outcomeDomain(
      'caring_for_child',
      'Carrying out caring responsibilities for a child',
      'How much help do you need to look after a child you are responsible for?',
      'If you do not look after a child, choose "I do not need help".',
    ),
    {
      key: 'staying_safe',
      title: 'Staying safe',
      questions: [
        {
          key: 'staying_safe',
          text: 'How much help do you need to stay safe and manage risks?',
          hint: 'For example, risks from falls, from going out alone, from other people, or to other people.',
          options: [
            { key: 'no_risk', label: 'I do not need help to stay safe', points: 0 },
            { key: 'some_risk', label: 'I need some help to stay safe', points: 5 },
            { key: 'significant_risk', label: 'I need help most of the time to stay safe', points: 10 },
            { key: 'constant_supervision', label: 'I need someone with me all the time to stay safe', points: 15 },
          ],
        },
      ],
    },
    {
      key: 'night_time',
      title: 'Night-time support',
      questions: [
        {
          key: 'night_time',
          text: 'How much help do you need during the night?',
          hint: 'For example, help to turn over, to use the toilet, with medication, or to stay safe.',
          options: [
            { key: 'no_help', label: 'I do not need help at night', points: 0 },
            { key: 'some_nights', label: 'I need someone on call, or help on some nights', points: 12 },
            { key: 'every_night', label: 'I need someone awake with me every night', points: 24 },
          ],
        },
      ],
    },
    {
      key: 'complexity',
      title: 'Complexity of needs',
      questions: [
        {
          key: 'complexity',
          text: 'How complex are your needs?',
          hint: 'For example, health conditions that change from day to day, behaviour that others find challenging, or support that needs special training.',
          options: [
            { key: 'not_complex', label: 'My needs are not complex', points: 0 },
            { key: 'some_complexity', label: 'Some of my support needs special skills', points: 8 },
            { key: 'highly_complex', label: 'All of my support needs specially trained people', points: 16 },
          ],
        },
      ],
    },
  ],
  adjustments: [
    {
      key: 'informal_support',
      text: 'Support from family or friends that they are willing and able to keep giving',
      hint: 'Only count help that family or friends want to keep giving. Nobody has to keep caring.',
      options: [
        { key: 'none', label: 'None', percent: 0 },
        { key: 'some', label: 'Some', percent: -10 },
        { key: 'a_lot', label: 'A lot', percent: -25 },
      ],
    },
  ],
  // JSON has no infinity, so "65+" ends at 999,999: far above the highest possible score (255),
  // so the band still covers everyone if an admin adds questions.
  carerBands: [
    { minPoints: 8, maxPoints: 24, annualPence: 25_000 },
    { minPoints: 25, maxPoints: 44, annualPence: 50_000 },
    { minPoints: 45, maxPoints: 64, annualPence: 100_000 },
    { minPoints: 65, maxPoints: 999_999, annualPence: 150_000 },
  ],
};
