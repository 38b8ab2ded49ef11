/**
 * What the quarterly Client Level Data return asks of a person and their events, as the codes we
 * store and the words staff read. The export (and its documented mapping) turns these codes into
 * the specification's values, so a change of wording there never touches stored records.
 */

/** Pairs rather than an object, because an object would put the code '99' before 'A'. */
function labelled<const Code extends string>(entries: readonly (readonly [Code, string])[]) {
  return {
    codes: entries.map(([code]) => code),
    labels: Object.fromEntries(entries) as Record<Code, string>,
  };
}

/** The gender a person considers themselves to be, as the NHS data dictionary records it. */
export const genders = labelled([
  ['male', 'Male'],
  ['female', 'Female'],
  ['other', 'Other (neither male nor female)'],
  ['not_stated', 'Not stated (they chose not to say)'],
  ['not_known', 'Not known (not recorded)'],
]);

/** NHS data dictionary ethnic categories (the 2001 census groups), stored as their one-letter codes. */
export const ethnicities = labelled([
  ['A', 'White: British'],
  ['B', 'White: Irish'],
  ['C', 'White: any other White background'],
  ['D', 'Mixed: White and Black Caribbean'],
  ['E', 'Mixed: White and Black African'],
  ['F', 'Mixed: White and Asian'],
  ['G', 'Mixed: any other mixed background'],
  ['H', 'Asian or Asian British: Indian'],
  ['J', 'Asian or Asian British: Pakistani'],
  ['K', 'Asian or Asian British: Bangladeshi'],
  ['L', 'Asian or Asian British: any other Asian background'],
  ['M', 'Black or Black British: Caribbean'],
  ['N', 'Black or Black British: African'],
  ['P', 'Black or Black British: any other Black background'],
  ['R', 'Other ethnic groups: Chinese'],
  ['S', 'Other ethnic groups: any other ethnic group'],
  ['Z', 'Not stated (they chose not to say)'],
  ['99', 'Not known (not recorded)'],
]);

export const primarySupportReasons = labelled([
  ['physical_access_mobility', 'Physical support: access and mobility only'],
  ['physical_personal_care', 'Physical support: personal care support'],
  ['sensory_visual', 'Sensory support: support for visual impairment'],
  ['sensory_hearing', 'Sensory support: support for hearing impairment'],
  ['sensory_dual', 'Sensory support: support for dual impairment'],
  ['memory_cognition', 'Support with memory and cognition'],
  ['learning_disability', 'Learning disability support'],
  ['mental_health', 'Mental health support'],
  ['social_substance_misuse', 'Social support: substance misuse support'],
  ['social_asylum_seeker', 'Social support: asylum seeker support'],
  ['social_isolation_other', 'Social support: support for social isolation or other'],
]);

export const accommodationStatuses = labelled([
  ['owner_occupier', 'Owner occupier or shared ownership'],
  ['tenant_council', 'Tenant of the council or an arm’s-length management organisation'],
  ['tenant_housing_association', 'Tenant of a housing association or registered social landlord'],
  ['tenant_private', 'Tenant of a private landlord'],
  ['with_family_settled', 'Settled, mainly with family or friends'],
  ['supported_accommodation', 'Supported accommodation, supported lodgings or a supported group home'],
  ['shared_lives', 'Shared Lives scheme'],
  ['sheltered_housing', 'Sheltered or extra care housing'],
  ['approved_premises', 'Approved premises (released from prison or under probation supervision)'],
  ['traveller_site', 'Mobile accommodation for Gypsy, Roma and Traveller communities'],
  ['rough_sleeping', 'Rough sleeping or squatting'],
  ['night_shelter', 'Night shelter, emergency or direct access hostel'],
  ['refuge', 'Refuge'],
  ['temporary_council_placed', 'Temporary accommodation placed by the council (including homelessness)'],
  ['with_family_short_term', 'Staying with family or friends as a short-term guest'],
  ['hospital', 'Acute or long-stay healthcare residential facility or hospital'],
  ['care_home', 'Registered care home'],
  ['nursing_home', 'Registered nursing home'],
  ['prison', 'Prison, young offender institution or detention centre'],
  ['other_temporary', 'Other temporary accommodation'],
  ['unknown', 'Not known'],
]);

export const employmentStatuses = labelled([
  ['paid_16_hours_or_more', 'In paid work: 16 or more hours a week'],
  ['paid_under_16_hours', 'In paid work: fewer than 16 hours a week'],
  ['paid_hours_unknown', 'In paid work: hours not known'],
  ['seeking_work', 'Not in paid work: looking for work'],
  ['voluntary_work_only', 'Not in paid work: voluntary work only'],
  ['not_seeking_work', 'Not in paid work: not looking for work, or retired'],
  ['unknown', 'Not known'],
]);

/** How a request for support reached the council (CLD "route of access", as SALT recorded it). */
export const routesOfAccess = labelled([
  ['planned_entry_transition', 'Planned entry (transition from children’s services)'],
  ['discharge_from_hospital', 'Discharge from hospital'],
  ['diversion_from_hospital', 'Diversion from hospital services'],
  ['community_other', 'Community or other route'],
  ['prison', 'Prison'],
  ['self_funder', 'Self-funder'],
  ['discharge_from_reablement', 'Discharge from reablement'],
  ['transfer_from_other_council', 'Transfer from another council'],
]);

/** What was decided once a request for support was dealt with; an open request has none. */
export const requestOutcomes = labelled([
  ['progress_to_assessment', 'Went on to a needs assessment'],
  ['progress_to_reablement', 'Went on to reablement or short-term support to maximise independence'],
  ['progress_to_support_planning', 'Went on to support planning or services'],
  ['nfa_information_signposting', 'No further action: information, advice or signposting only'],
  ['nfa_support_declined', 'No further action: support declined'],
  ['nfa_self_funder', 'No further action: self-funded'],
  ['nfa_moved_away', 'No further action: moved to another council'],
  ['nfa_deceased', 'No further action: died'],
  ['nfa_nhs_funded', 'No further action: fully NHS-funded care'],
  ['nfa_other', 'No further action: no services provided for another reason'],
]);

export type Gender = (typeof genders.codes)[number];
export type Ethnicity = (typeof ethnicities.codes)[number];
export type PrimarySupportReason = (typeof primarySupportReasons.codes)[number];
export type AccommodationStatus = (typeof accommodationStatuses.codes)[number];
export type EmploymentStatus = (typeof employmentStatuses.codes)[number];
export type RouteOfAccess = (typeof routesOfAccess.codes)[number];
export type RequestOutcome = (typeof requestOutcomes.codes)[number];
