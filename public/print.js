// window.print() needs JavaScript, so the button is only added when it can work; without it the
// page tells people to use their browser's print option instead.
for (const placeholder of document.querySelectorAll('[data-print-button]')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'govuk-button govuk-button--secondary';
  button.textContent = 'Print this page';
  button.addEventListener('click', () => window.print());
  placeholder.replaceWith(button);
}
