export const clientGroups = [
  'older_people',
  'learning_disability',
  'physical_disability',
  'mental_health',
  'sensory_impairment',
  'carer',
] as const;
export type PersonClientGroup = (typeof clientGroups)[number];

export const clientGroupLabels: Record<PersonClientGroup, string> = {
  older_people: 'Older people',
  learning_disability: 'Learning disability',
  physical_disability: 'Physical disability',
  mental_health: 'Mental health',
  sensory_impairment: 'Sensory impairment',
  carer: 'Carer',
};
