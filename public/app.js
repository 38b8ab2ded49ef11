import { initAll } from '/govuk/govuk-frontend.min.js';

// GOV.UK components only enhance when this class is present; without JavaScript the pages still work.
document.body.classList.add('govuk-frontend-supported');
initAll();
