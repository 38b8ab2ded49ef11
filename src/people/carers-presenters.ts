import type { FormErrors } from '../web/validation.js';
import type { PostButton } from '../web/view-models.js';
import type { LinkedPerson } from './carers-repo.js';
import { personHeading, personLink, personName } from './presenters.js';
import type { Person } from './repo.js';

export function caresForView(
  page: { carer: Person; caresFor: readonly LinkedPerson[]; most: number },
  state: { values: Record<string, unknown>; errors: FormErrors },
) {
  const { carer, caresFor, most } = page;
  const path = `/people/${carer.id}/cares-for`;
  return {
    title: `Who ${personName(carer)} cares for`,
    person: personHeading(carer),
    backLink: `/people/${carer.id}`,
    people: caresFor.map((linked) => ({
      link: personLink(linked),
      reference: linked.reference,
      unlink: {
        action: `${path}/${linked.id}/remove`,
        text: 'Unlink',
        hiddenText: personName(linked),
        secondary: true,
      } satisfies PostButton,
    })),
    // The form stays when the limit is reached, so trying a fourth explains why not.
    full: caresFor.length >= most,
    most,
    action: path,
    values: state.values,
    errors: state.errors,
  };
}
