import { initAll } from '/govuk/govuk-frontend.min.js';

// GOV.UK components only enhance when this class is present; without JavaScript the pages still work.
document.body.classList.add('govuk-frontend-supported');
initAll();

// A wide table scrolls inside its own box on a narrow screen. Keyboard users can only scroll a box
// that takes focus, so while it overflows it gets a tab stop and a name; otherwise it stays out of the way.
function updateScrollingTables() {
  for (const box of document.querySelectorAll('.app-table-scroll')) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', `${box.dataset.label} (scrolls sideways)`);
    } else {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  }
}
updateScrollingTables();
window.addEventListener('resize', updateScrollingTables);

// GOV.UK's conditional reveal, without the aria-expanded it puts on radios (ARIA does not allow it
// there): the boxes under each choice are in the page, and only the chosen one's stay in view.
// Without JavaScript every box shows, and the server reads only the chosen choice's boxes.
for (const group of document.querySelectorAll('[data-app-reveal]')) {
  const radios = [...group.querySelectorAll(':scope > .govuk-radios__item > input[type="radio"][data-reveals]')];
  const update = () => {
    for (const radio of radios) {
      document.getElementById(radio.dataset.reveals)?.classList.toggle('govuk-radios__conditional--hidden', !radio.checked);
    }
  };
  for (const radio of radios) radio.addEventListener('change', update);
  update();
}
