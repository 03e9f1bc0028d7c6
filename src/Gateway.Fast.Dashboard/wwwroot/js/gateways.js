import { get, api, enc, listGateways } from './api.js';
import { h, field, select, errorBox, toast, copyButton } from './dom.js';
import { time } from './format.js';
import { navigate } from './app.js';

export async function render(main, { rest }) {
  if (rest[0]) return renderOne(main, rest[0]);
  main.append(h('h1', {}, 'Gateways'));
  const id = h('input', { name: 'id', required: true, pattern: '[a-z0-9_\\-]{1,64}', placeholder: 'my-app' });
  const name = h('input', { name: 'name', maxlength: 256 });
  const create = h('form', { class: 'card row', 'aria-label': 'Create a gateway' },
    field('New gateway id', id, 'a–z, 0–9, _ and -, up to 64'), field('Display name', name),
    h('button', { type: 'submit', class: 'primary' }, 'Create gateway'));
  create.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('POST', '/api/management/gateways', { id: id.value.trim(), name: name.value.trim() || undefined });
      toast(`Gateway ${id.value} created`);
      navigate(`gateways/${enc(id.value.trim())}`, new URLSearchParams());
    } catch (error) { toast(error.message, true); }
  });
  const list = h('section', { class: 'card', 'aria-label': 'Gateways' });
  main.append(create, list);
  try {
    const gateways = await listGateways();
    list.replaceChildren(h('table', { class: 'grid', id: 'gateways' },
      h('thead', {}, h('tr', {}, ['Id', 'Name', 'Cache TTL', 'Rate limit', 'Logs', 'Authentication', 'Created'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, gateways.map(g => h('tr', { dataset: { gateway: g.id } },
        h('th', { scope: 'row' }, h('a', { href: `#/gateways/${enc(g.id)}` }, g.id)), h('td', {}, g.name ?? ''),
        h('td', {}, g.cache_ttl ? `${g.cache_ttl} s` : 'off'),
        h('td', {}, g.rate_limiting_limit ? `${g.rate_limiting_limit} / ${g.rate_limiting_interval} s (${g.rate_limiting_technique})` : 'none'),
        h('td', {}, g.collect_logs ? 'on' : 'off'), h('td', {}, g.authentication ? 'on' : 'off'), h('td', {}, time(g.created_at)))))));
    main.dataset.state = 'ready';
  } catch (error) { list.replaceChildren(errorBox(error)); }
  return null;
}

// Every setting the API validates, as [field, label, kind, options]. Objects (guardrails, DLP, …) are edited as JSON,
// which the API checks against the same rules as any client's.
const settings = [
  ['name', 'Display name', 'text'],
  ['cache_ttl', 'Cache TTL (seconds, empty = off)', 'int'],
  ['cache_invalidate_on_update', 'Invalidate cache on update', 'bool'],
  ['collect_logs', 'Collect logs', 'bool'],
  ['rate_limiting_limit', 'Rate limit (requests)', 'int'],
  ['rate_limiting_interval', 'Rate-limit window (seconds)', 'int'],
  ['rate_limiting_technique', 'Rate-limit technique', 'enum', [['', 'none'], ['fixed', 'fixed'], ['sliding', 'sliding']]],
  ['retry_max_attempts', 'Retry attempts', 'int'],
  ['retry_delay', 'Retry delay (ms)', 'int'],
  ['retry_backoff', 'Retry backoff', 'enum', [['', 'none'], ['constant', 'constant'], ['linear', 'linear'], ['exponential', 'exponential']]],
  ['request_timeout', 'Request timeout (ms)', 'int'],
  ['authentication', 'Authentication (gateway token required)', 'bool'],
  ['log_management', 'Log limit (rows)', 'int'],
  ['log_management_strategy', 'When the log is full', 'enum', [['', 'none'], ['STOP_INSERTING', 'stop inserting'], ['DELETE_OLDEST', 'delete oldest']]],
  ['guardrails', 'Guardrails (JSON)', 'json'],
  ['dlp', 'DLP (JSON)', 'json'],
  ['spend_limits', 'Spend limits (JSON)', 'json'],
];

async function renderOne(main, id) {
  main.append(h('p', {}, h('a', { href: '#/gateways' }, '← All gateways')), h('h1', {}, `Gateway ${id}`));
  let gateway, providers;
  try {
    [{ result: gateway }, { result: providers }] = await Promise.all([
      get(`/api/management/gateways/${enc(id)}`), get('/api/management/providers')]);
  } catch (error) { main.append(errorBox(error)); return null; }

  const controls = {};
  const form = h('form', { class: 'card', 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title' }, 'Settings'),
    h('div', { class: 'settings' }, settings.map(([name, label, kind, options]) => {
      const value = gateway[name];
      const control = kind === 'bool' ? h('input', { type: 'checkbox', name, checked: !!value })
        : kind === 'enum' ? select(name, options, value ?? '')
        : kind === 'json' ? h('textarea', { name, rows: 4, value: value === null || value === undefined ? '' : JSON.stringify(value, null, 2) })
        : h('input', { name, type: kind === 'int' ? 'number' : 'text', value: value ?? '' });
      controls[name] = [control, kind];
      return kind === 'bool'
        ? h('div', { class: 'field check' }, control, h('label', { for: control.id = `s-${name}` }, label))
        : h('div', { class: kind === 'json' ? 'wide' : '' }, field(label, control));
    })),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Save settings')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const patch = {};
    try {
      for (const [name, [control, kind]] of Object.entries(controls)) {
        const next = kind === 'bool' ? control.checked
          : kind === 'int' ? (control.value === '' ? null : Number(control.value))
          : kind === 'json' ? (control.value.trim() === '' ? null : JSON.parse(control.value))
          : control.value === '' ? null : control.value;
        if (JSON.stringify(next) !== JSON.stringify(gateway[name] ?? null)) patch[name] = next;
      }
    } catch { toast('A JSON field is not valid JSON', true); return; }
    if (Object.keys(patch).length === 0) { toast('Nothing changed'); return; }
    try {
      ({ result: gateway } = await api('PATCH', `/api/management/gateways/${enc(id)}`, patch));
      toast('Settings saved');
    } catch (error) { toast(error.message, true); }
  });

  const purged = h('span', { class: 'muted', id: 'purge-result', 'aria-live': 'polite' });
  const actions = h('section', { class: 'card row', 'aria-label': 'Actions' },
    h('button', { type: 'button', onclick: async () => {
      try {
        const { result } = await api('POST', `/api/management/gateways/${enc(id)}/cache/purge`);
        purged.textContent = result?.purged ? `Cache purged (generation ${result.generation})` : 'Cache not purged';
      } catch (error) { toast(error.message, true); }
    } }, 'Purge cache'), purged,
    h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(`Delete gateway ${id}? Its settings go; its logs stay until deleted.`)) return;
      try { await api('DELETE', `/api/management/gateways/${enc(id)}`); navigate('gateways', new URLSearchParams()); } catch (error) { toast(error.message, true); }
    } }, 'Delete gateway'));

  const origin = location.origin;
  const urls = h('section', { class: 'card', 'aria-labelledby': 'urls-title' }, h('h2', { id: 'urls-title' }, 'URLs'),
    h('table', { class: 'grid' }, h('tbody', {},
      [['Unified API (OpenAI format, any provider)', `${origin}/v1/local/${id}/compat`], ...providers.map(p => [p.id, `${origin}/v1/local/${id}/${p.id}`])]
        .map(([label, url]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, h('code', { class: 'url' }, url)), h('td', {}, copyButton(url, `Copy ${label} URL`)))))),
    h('h3', {}, 'OpenAI SDK'),
    snippet(`from openai import OpenAI

client = OpenAI(
    api_key="YOUR_OPENAI_KEY",
    base_url="${origin}/v1/local/${id}/openai",${gateway.authentication ? `
    default_headers={"cf-aig-authorization": "Bearer YOUR_GATEWAY_TOKEN"},` : ''}
)
print(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hello"}]))`),
    snippet(`import OpenAI from "openai";

const client = new OpenAI({
  apiKey: "YOUR_PROVIDER_KEY",
  baseURL: "${origin}/v1/local/${id}/compat",${gateway.authentication ? `
  defaultHeaders: { "cf-aig-authorization": "Bearer YOUR_GATEWAY_TOKEN" },` : ''}
});
// any provider through the unified API: "provider/model"
await client.chat.completions.create({ model: "anthropic/claude-3-5-haiku-latest", messages: [{ role: "user", content: "Hello" }] });`));

  main.append(form, actions, urls);
  main.dataset.state = 'ready';
  return null;
}

function snippet(code) {
  return h('div', {}, h('pre', { class: 'body', tabindex: 0 }, code), copyButton(code, 'Copy snippet'));
}
