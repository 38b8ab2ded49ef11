// The timeout warning on staff pages, as the GOV.UK timeout-warning pattern behaves: two minutes
// before the session ends a modal dialog says so, counts down, and offers to stay signed in.
// The server gives the time left (data attributes on this script's tag), so nothing is guessed here.
const settings = document.querySelector('script[data-session-timeout]');
const seconds = (name) => Number(settings.dataset[name]) * 1000;
const warningMs = seconds('warningSeconds');
let endsAt = Date.now() + seconds('secondsLeft');

const dialog = document.createElement('dialog');
dialog.className = 'app-timeout-dialog';
dialog.setAttribute('aria-labelledby', 'timeout-heading');
dialog.setAttribute('aria-describedby', 'timeout-text');
dialog.innerHTML = `
  <h2 class="govuk-heading-m" id="timeout-heading" tabindex="-1">You’re about to be signed out</h2>
  <p class="govuk-body" id="timeout-text">For your security, you will be signed out in
    <span class="govuk-!-font-weight-bold" data-countdown></span> if you do nothing.</p>
  <p class="govuk-visually-hidden" aria-live="polite" data-announce></p>
  <div class="govuk-button-group">
    <button type="button" class="govuk-button" data-stay>Stay signed in</button>
    <form method="post" action="/sign-out">
      <input type="hidden" name="_csrf">
      <button type="submit" class="govuk-button govuk-button--secondary">Sign out</button>
    </form>
  </div>`;
dialog.querySelector('input[name="_csrf"]').value = settings.dataset.csrfToken;
document.body.append(dialog);

const countdown = dialog.querySelector('[data-countdown]');
const announce = dialog.querySelector('[data-announce]');
let focusBefore = null;
let lastAnnounced = 0;

function timeLeftInWords(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const secs = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  if (secs || !minutes) parts.push(`${secs} second${secs === 1 ? '' : 's'}`);
  return parts.join(' ');
}

function open() {
  focusBefore = document.activeElement;
  lastAnnounced = Date.now();
  countdown.textContent = timeLeftInWords(endsAt - Date.now());
  dialog.showModal();
  dialog.querySelector('#timeout-heading').focus();
}

function close() {
  dialog.close();
  announce.textContent = '';
  if (focusBefore instanceof HTMLElement) focusBefore.focus();
}

async function staySignedIn() {
  const response = await fetch('/session/stay-signed-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: settings.dataset.csrfToken }),
    credentials: 'same-origin',
  });
  if (!response.ok) {
    window.location.assign('/sign-in?signedOut=idle');
    return;
  }
  endsAt = Date.now() + seconds('idleSeconds');
  close();
}

dialog.querySelector('[data-stay]').addEventListener('click', staySignedIn);
// Escape means "I'm still here", as in the pattern: it keeps the session rather than just hiding the warning.
dialog.addEventListener('cancel', (event) => {
  event.preventDefault();
  staySignedIn();
});

// Checked every second against the clock, not counted down, so a tab the browser slowed keeps the right time.
setInterval(() => {
  const left = endsAt - Date.now();
  if (left <= 0) {
    window.location.assign('/sign-in?signedOut=idle');
    return;
  }
  if (left > warningMs) return;
  if (!dialog.open) open();
  countdown.textContent = timeLeftInWords(left);
  // Every 20 seconds is often enough to follow without talking over everything else.
  if (Date.now() - lastAnnounced >= 20_000) {
    lastAnnounced = Date.now();
    announce.textContent = `You will be signed out in ${timeLeftInWords(left)}`;
  }
}, 1000);
