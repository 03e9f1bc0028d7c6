import { get, api, enc, listGateways } from './api.js';
import { h, field, select, errorBox, toast, copyButton } from './dom.js';
import { time } from './format.js';
import { navigate } from './app.js';

// Secrets are shown exactly once, in the answer to create or refresh; lists only ever show a hint or a preview, as
// the API stores hashes (tokens, team keys) or encrypted secrets it never returns (provider keys).
export async function render(main, { params }) {
  const gateways = await listGateways().catch(() => []);
  const gateway = params.get('gateway') || (gateways.find(g => g.id === 'default') ?? gateways[0])?.id || 'default';
  const picker = select('gateway', gateways.map(g => [g.id, g.id]), gateway);
  picker.addEventListener('change', () => navigate('keys', new URLSearchParams({ gateway: picker.value })));
  const shown = h('div', { 'aria-live': 'polite', id: 'secret-once' });
  main.append(h('h1', {}, 'Keys'), h('div', { class: 'toolbar' }, field('Gateway (for gateway tokens and provider keys)', picker)), shown);

  const showOnce = (title, secret) => shown.replaceChildren(h('div', { class: 'card', role: 'alert' },
    h('h2', {}, title), h('p', {}, 'Copy it now: it is not shown again.'), h('p', { class: 'secret', dataset: { secret: '' } }, secret), copyButton(secret, 'Copy the new secret')));
  const sections = h('div', { class: 'stack' });
  main.append(sections);
  const reload = async () => {
    main.dataset.state = 'loading'; // every change redraws the lists from the API: 'ready' again once they are shown
    try {
      const authenticated = gateways.find(g => g.id === gateway)?.authentication ?? false;
      sections.replaceChildren(await gatewayTokens(gateway, showOnce, reload), await teamKeys(showOnce, reload),
        await providerKeys(gateway, authenticated, reload));
      main.dataset.state = 'ready';
    } catch (error) { sections.replaceChildren(errorBox(error)); }
  };
  await reload();
  return null;
}

async function gatewayTokens(gateway, showOnce, reload) {
  const base = `/api/management/gateways/${enc(gateway)}/tokens`;
  const { result } = await get(base);
  const name = h('input', { name: 'name', maxlength: 256 });
  const form = h('form', { class: 'row', 'aria-label': 'Create a gateway token' }, field('Token name', name),
    h('button', { type: 'submit' }, 'Create gateway token'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try { const { result: token } = await api('POST', base, { name: name.value }); await reload(); showOnce(`Gateway token for ${gateway}`, token.token); }
    catch (error) { toast(error.message, true); }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'gt-title' }, h('h2', { id: 'gt-title' }, `Gateway tokens (${gateway})`),
    h('p', { class: 'muted' }, 'Callers of an authenticated gateway send one as cf-aig-authorization: Bearer …'),
    table(['Name', 'Hint', 'Created', ''], result.map(t => [t.name || '–', `…${t.hint ?? ''}`, time(t.created_at),
      h('button', { type: 'button', class: 'danger small', onclick: () => act('DELETE', `${base}/${enc(t.id)}`, reload, 'Token revoked') }, 'Revoke')])),
    form);
}

async function teamKeys(showOnce, reload) {
  const { result } = await get('/api/management/tokens');
  const teamId = h('input', { name: 'teamId', required: true, maxlength: 256 });
  const name = h('input', { name: 'name', maxlength: 256 });
  const limited = h('input', { type: 'checkbox', name: 'limited', id: 'tk-limited' });
  const form = h('form', { class: 'row', 'aria-label': 'Create a team key' }, field('Team id', teamId), field('Key name', name),
    h('div', { class: 'field check' }, limited, h('label', { for: 'tk-limited' }, 'Limited to allowed models')),
    h('button', { type: 'submit', class: 'primary' }, 'Create team key'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const { result: key } = await api('POST', '/api/management/tokens', { teamId: teamId.value.trim(), name: name.value.trim(), limited: limited.checked });
      await reload();
      showOnce(`Team key for ${key.teamId}`, key.apiKey);
    } catch (error) { toast(error.message, true); }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'tk-title' }, h('h2', { id: 'tk-title' }, 'Team keys'),
    h('p', { class: 'muted' }, 'Callers send one as Authorization: Bearer sk_… on /openai/v1/…, /anthropic/v1/… and the other team base paths.'),
    table(['Team', 'Name', 'Key', 'Limits', 'Created', ''], result.map(k => [k.teamId, k.name || '–', `sk_…${k.hint ?? ''}`,
      limitsEditor(k, reload), time(k.createdAt),
      h('span', { class: 'row' },
        h('button', { type: 'button', class: 'small', onclick: async () => {
          try { const { result: next } = await api('POST', `/api/management/tokens/${enc(k.id)}/refresh`); await reload(); showOnce(`New key for ${next.teamId}`, next.apiKey); }
          catch (error) { toast(error.message, true); }
        } }, 'Refresh'),
        h('button', { type: 'button', class: 'danger small', onclick: () => act('DELETE', `/api/management/tokens/${enc(k.id)}`, reload, 'Key revoked') }, 'Revoke'))])),
    form);
}

// The limits apply only while the key is limited, so the switch sits beside them.
function limitsEditor(key, reload) {
  const who = key.name || key.teamId;
  const limited = h('input', { type: 'checkbox', name: 'limited', checked: key.limited, 'aria-label': `Limited (${who})` });
  const limit = h('input', { type: 'number', name: 'rate_limit', min: 1, value: key.rateLimit ?? '', 'aria-label': `Rate limit (${who})` });
  const period = h('input', { type: 'number', name: 'rate_limit_period', min: 1, max: 86400, value: key.rateLimitPeriod ?? '',
    'aria-label': `Period in seconds (${who})` });
  const models = h('input', { name: 'allowed_models', value: (key.allowedModels ?? []).join(', '),
    'aria-label': `Allowed models, comma-separated (${who})`, placeholder: 'allowed models' });
  const form = h('form', { class: 'row limits', 'aria-label': `Limits of ${who}` },
    h('label', { class: 'check' }, limited, 'limited'), limit, h('span', {}, 'per'), period, h('span', {}, 's'), models,
    h('button', { type: 'submit', class: 'small' }, 'Save'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    act('PATCH', `/api/management/tokens/${enc(key.id)}`, reload, 'Limits saved', {
      limited: limited.checked,
      rate_limit: limit.value === '' ? null : Number(limit.value),
      rate_limit_period: period.value === '' ? null : Number(period.value),
      // empty means any model (null clears the list), not none
      allowed_models: models.value.trim() === '' ? null : models.value.split(',').map(m => m.trim()).filter(Boolean),
    });
  });
  return form;
}

async function providerKeys(gateway, authenticated, reload) {
  const base = `/api/management/gateways/${enc(gateway)}/provider_configs`;
  const [{ result }, { result: providers }] = await Promise.all([get(base), get('/api/management/providers')]);
  const slug = select('provider_slug', providers.map(p => [p.id, p.id]), 'openai');
  const alias = h('input', { name: 'alias', value: 'default', maxlength: 64 });
  const secret = h('input', { name: 'secret', type: 'password', required: true, autocomplete: 'off' });
  const form = h('form', { class: 'row', 'aria-label': 'Add a provider key' }, field('Provider', slug), field('Alias', alias),
    field('Secret', secret, 'For AWS: {"accessKeyId","secretAccessKey","region"}'), h('button', { type: 'submit' }, 'Add provider key'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    let value = secret.value;
    if (value.trim().startsWith('{')) { try { value = JSON.parse(value); } catch { /* sent as text; the API explains */ } }
    await act('POST', base, reload, 'Provider key stored', { provider_slug: slug.value, alias: alias.value || 'default', secret: value });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'pk-title' }, h('h2', { id: 'pk-title' }, `Provider keys (${gateway})`),
    // The API refuses keys on an open gateway (anyone could spend them); say so before the user types one.
    authenticated ? null : h('p', { class: 'muted' }, h('a', { href: `#/gateways/${enc(gateway)}` }, 'Turn on authentication'),
      ' for this gateway before storing provider keys on it: otherwise any caller could spend them.'),
    table(['Provider', 'Alias', 'Preview', 'Created', ''], result.map(c => [c.provider_slug, c.alias, c.secret_preview, time(c.created_at),
      h('button', { type: 'button', class: 'danger small', onclick: () => act('DELETE', `${base}/${enc(c.id)}`, reload, 'Provider key deleted') }, 'Delete')])),
    form);
}

async function act(method, path, reload, message, body) {
  try { await api(method, path, body); toast(message); await reload(); } catch (error) { toast(error.message, true); }
}

function table(columns, rows) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'None yet.');
  return h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(c => h('td', {}, c))))));
}
