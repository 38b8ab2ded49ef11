import type { BudgetEndReason } from '../finance/ending-reasons.js';
import type {
  AccommodationStatus,
  EmploymentStatus,
  Ethnicity,
  Gender,
  PrimarySupportReason,
  RequestOutcome,
  RouteOfAccess,
} from '../people/client-level-data.js';
import type { ManagementOption } from '../plans/options.js';
import type { ReviewDecision } from '../reviews/repo.js';

/**
 * Our stored codes as the Client Level Data specification's values (Release 1, the version in
 * force from April 2023). docs/client-level-data.md explains each choice; a change of wording in
 * the specification is made here and nowhere else.
 */

export const genderValues: Record<Gender, string> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  // The specification has one value for a gender that is not recorded, whether or not the person chose not to say.
  not_stated: 'Unknown',
  not_known: 'Unknown',
};

export const ethnicityValues: Record<Ethnicity, string> = {
  A: 'White: British',
  B: 'White: Irish',
  C: 'White: Any other White background',
  D: 'Mixed: White and Black Caribbean',
  E: 'Mixed: White and Black African',
  F: 'Mixed: White and Asian',
  G: 'Mixed: Any other mixed background',
  H: 'Asian or Asian British: Indian',
  J: 'Asian or Asian British: Pakistani',
  K: 'Asian or Asian British: Bangladeshi',
  L: 'Asian or Asian British: Any other Asian background',
  M: 'Black or Black British: Caribbean',
  N: 'Black or Black British: African',
  P: 'Black or Black British: Any other Black background',
  R: 'Other Ethnic Groups: Chinese',
  S: 'Other Ethnic Groups: Any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
};

export const primarySupportReasonValues: Record<PrimarySupportReason, string> = {
  physical_access_mobility: 'Physical Support: Access and Mobility Only',
  physical_personal_care: 'Physical Support: Personal Care Support',
  sensory_visual: 'Sensory Support: Support for Visual Impairment',
  sensory_hearing: 'Sensory Support: Support for Hearing Impairment',
  sensory_dual: 'Sensory Support: Support for Dual Impairment',
  memory_cognition: 'Support with Memory and Cognition',
  learning_disability: 'Learning Disability Support',
  mental_health: 'Mental Health Support',
  social_substance_misuse: 'Social Support: Substance Misuse Support',
  social_asylum_seeker: 'Social Support: Asylum Seeker Support',
  social_isolation_other: 'Social Support: Support for Social Isolation/Other',
};

export const accommodationStatusValues: Record<AccommodationStatus, string> = {
  owner_occupier: 'Owner occupier or shared ownership scheme',
  // The specification has one value for every social landlord.
  tenant_council:
    'Tenant (including local authority, arms length management organisations, registered social landlord, housing association)',
  tenant_housing_association:
    'Tenant (including local authority, arms length management organisations, registered social landlord, housing association)',
  tenant_private: 'Tenant - private landlord',
  with_family_settled: 'Settled mainly with family/friends',
  supported_accommodation: 'Supported accommodation / supported lodgings / supported group home',
  shared_lives: 'Shared Lives scheme',
  sheltered_housing: 'Sheltered housing / extra care housing / other sheltered housing',
  approved_premises: 'Approved premises for offenders released from prison or under probation supervision',
  traveller_site: 'Mobile accommodation for Gypsy/Roma and Traveller communities',
  rough_sleeping: 'Rough sleeper / squatting',
  night_shelter: 'Night shelter / emergency hostel / direct access hostel',
  refuge: 'Refuge',
  temporary_council_placed: 'Placed in temporary accommodation by the council (including homelessness resettlement)',
  with_family_short_term: 'Staying with family/friends as a short-term guest',
  hospital: 'Acute / long-term healthcare residential facility or hospital',
  care_home: 'Registered care home',
  nursing_home: 'Registered nursing home',
  prison: 'Prison / Young offenders institution / detention centre',
  other_temporary: 'Other temporary accommodation',
  unknown: 'Unknown',
};

export const employmentStatusValues: Record<EmploymentStatus, string> = {
  paid_16_hours_or_more: 'Paid: 16 or more hours a week',
  paid_under_16_hours: 'Paid: Less than 16 hours a week',
  paid_hours_unknown: 'Paid: Hours per week unknown',
  seeking_work: 'Not in Paid Employment (seeking work)',
  voluntary_work_only: 'Not in Paid Employment (voluntary work only)',
  not_seeking_work: 'Not in Paid Employment (not actively seeking work / retired)',
  unknown: 'Unknown',
};

export const routeOfAccessValues: Record<RouteOfAccess, string> = {
  planned_entry_transition: 'Planned Entry (Transition)',
  discharge_from_hospital: 'Discharge from Hospital',
  diversion_from_hospital: 'Diversion from Hospital Services',
  community_other: 'Community / Other route',
  prison: 'Prison',
  self_funder: 'Self-Funder with depleted funds',
  discharge_from_reablement: 'Discharge from Reablement',
  transfer_from_other_council: 'Transfer from another LA',
};

export const requestOutcomeValues: Record<RequestOutcome, string> = {
  progress_to_assessment: 'Progress to Assessment',
  progress_to_reablement: 'Progress to Reablement/ST-Max',
  progress_to_support_planning: 'Progress to Support Planning / Services',
  nfa_information_signposting: 'NFA - Information & Advice / Signposting only',
  nfa_support_declined: 'NFA - Support declined',
  nfa_self_funder: 'NFA - Self-funded client (Inc. 12wk disregard)',
  nfa_moved_away: 'NFA - Moved to another LA',
  nfa_deceased: 'NFA - Deceased',
  nfa_nhs_funded: 'NFA - 100% NHS funded care',
  nfa_other: 'NFA - Other',
};

/**
 * Every personal budget is a personal budget in the s.26 sense, so none is "CASSR Commissioned
 * Support" (support the council arranges with no budget the person can direct). Only a direct
 * payment puts the money in the person's own hands; the other three keep it with the council or a
 * provider it pays on the person's behalf, which the specification calls a managed personal budget.
 * Prepaid cards here are loaded and controlled by the council: a council whose cards are how it pays
 * direct payments should map them to "Direct Payment".
 */
export const deliveryMechanismValues: Record<ManagementOption, string> = {
  direct_payment: 'Direct Payment',
  council_managed: 'CASSR Managed Personal Budget',
  individual_service_fund: 'CASSR Managed Personal Budget',
  prepaid_card: 'CASSR Managed Personal Budget',
};

/** Why a service (personal budget) ended, as its event outcome. */
export const serviceEndValues: Record<BudgetEndReason, string> = {
  replaced: 'Progress to Support Planning / Services',
  no_longer_eligible: 'NFA - Support ended: no longer eligible',
  needs_met_another_way: 'NFA - Support ended: other reason',
  moved_out_of_area: 'NFA - Moved to another LA',
  moved_into_residential_care: 'Admitted to residential / nursing care',
  declined: 'NFA - Support declined',
  died: 'NFA - Deceased',
};

export const reviewDecisionValues: Record<ReviewDecision, string> = {
  continue: 'No change in package / level of support',
  change_plan: 'Progress to Support Planning / Services',
  reassess: 'Progress to Re-assessment / Unplanned Review',
  end_budget: 'NFA - Support ended: other reason',
};

export const clientTypeValues = { serviceUser: 'Service User', carer: 'Carer' } as const;
export const assessmentTypeValues = { person: 'Long Term Support Needs Assessment', carer: 'Carer Assessment - Separate' } as const;
export const serviceTypeValues = { serviceUser: 'Long Term Support: Community', carer: 'Carer Support: Direct to Carer' } as const;
export const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
