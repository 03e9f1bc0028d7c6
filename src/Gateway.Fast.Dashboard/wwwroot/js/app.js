import { session, get, ApiError } from './api.js';
import { h, field, errorBox } from './dom.js';
import * as overview from './overview.js';
import * as logs from './logs.js';
import * as gateways from './gateways.js';
import * as keys from './keys.js';
import * as playground from './playground.js';

// Screens are hash routes (#/logs?provider=openai): a view's state is its URL, so it can be shared and reloaded, and
// the gateway serves one index.html for all of them.
const screens = { overview, logs, gateways, keys, playground };
const main = document.getElementById('main');
let dispose = null;

export function route() {
  const [path, query] = (location.hash.slice(1) || '/overview').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { screen: parts[0] ?? 'overview', rest: parts.slice(1), params: new URLSearchParams(query ?? '') };
}

/** Replaces the current screen's query (no history entry per keystroke, one per submitted change). */
export function navigate(screen, params, replace) {
  const query = new URLSearchParams([...params].filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
  const hash = `#/${screen}${query ? `?${query}` : ''}`;
  // Setting the hash it already has fires no hashchange: re-render by hand, so "Apply" with unchanged filters refreshes.
  if (replace || location.hash === hash) {
    history.replaceState(null, '', hash);
    render();
  } else {
    // 'loading' at once, not at the hashchange that follows: a reader of data-state never sees the old screen's 'ready'
    // under the new URL.
    main.dataset.state = 'loading';
    location.hash = hash;
  }
}

async function render() {
  dispose?.();
  dispose = null;
  if (!session.token) return renderSignIn();
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  const current = route();
  const screen = screens[current.screen] ?? overview;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.screen === current.screen) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  main.dataset.screen = current.screen;
  main.dataset.state = 'loading'; // each screen sets 'ready' when its data is shown (the tests wait on it)
  dispose = await screen.render(main, current) ?? null;
}

function renderSignIn() {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  main.dataset.screen = 'sign-in';
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true });
  const status = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'The management token (CF_AIG_MANAGEMENT_API_TOKEN, or the one the gateway printed at its first start). It stays in this browser tab only.'),
    field('Management token', input),
    status,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    session.signIn(input.value.trim());
    try {
      await get('/api/management/gateways?per_page=1');
      render();
    } catch (error) {
      session.signOut();
      status.replaceChildren(errorBox(error instanceof ApiError && error.status === 401 ? 'That token is not the management token.' : error));
      input.focus();
    }
  });
  main.replaceChildren(form);
  input.focus();
}

window.addEventListener('hashchange', render);
// A token that stops working (the gateway restarted with another one) sends the user back to sign in; the sign-in form
// itself reports its own 401.
window.addEventListener('gateway-fast:unauthorized', () => { if (main.dataset.screen !== 'sign-in') { session.signOut(); render(); } });
document.getElementById('sign-out').addEventListener('click', () => { session.signOut(); location.hash = ''; render(); });
render();
