import { get, enc, listGateways } from './api.js';
import { h, field, select, errorBox } from './dom.js';
import { count, ms, usd, time } from './format.js';
import { navigate } from './app.js';
import { openDrawer } from './drawer.js';
import { every } from './refresh.js';

// The logs explorer is the logs API with a form on it: every field below is one API filter, every filter lives in
// the URL (#/logs?gateway=default&provider=openai&page=2), so a view can be bookmarked or sent to a colleague.
const TailMs = 3_000;

/** URL parameter → [filter key, operator]; a value of "" means no filter. */
const filterParams = {
  provider: ['provider', 'eq'], model: ['model', 'eq'], success: ['success', 'eq'], cached: ['cached', 'eq'],
  feedback: ['feedback', 'eq'], team: ['team_id', 'eq'],
  cost_gt: ['cost', 'gt'], cost_lt: ['cost', 'lt'], tokens_gt: ['tokens', 'gt'], tokens_lt: ['tokens', 'lt'],
  duration_gt: ['duration', 'gt'], duration_lt: ['duration', 'lt'],
  meta_key: ['metadata.key', 'eq'], meta_value: ['metadata.value', 'eq'],
};
const sortable = [['created_at', 'Time'], ['provider', 'Provider'], ['model', 'Model'], ['success', 'Status'], ['cached', 'Cache']];

export async function render(main, { params }) {
  const gateways = await listGateways().catch(() => []);
  const gateway = params.get('gateway') || (gateways.find(g => g.id === 'default') ?? gateways[0])?.id || 'default';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const orderBy = params.get('order_by') ?? 'created_at';
  const direction = params.get('direction') ?? 'desc';

  const text = (name, label, attrs) => field(label, h('input', { name, value: params.get(name) ?? '', ...attrs }));
  const form = h('form', { class: 'filters card', 'aria-label': 'Log filters' },
    field('Gateway', select('gateway', gateways.map(g => [g.id, g.id]), gateway)),
    text('search', 'Search', { type: 'search', placeholder: 'id, model, metadata…' }),
    text('provider', 'Provider'),
    text('model', 'Model'),
    field('Status', select('success', [['', 'Any'], ['true', 'Success'], ['false', 'Error']], params.get('success') ?? '')),
    field('Cache', select('cached', [['', 'Any'], ['true', 'Hit'], ['false', 'Miss']], params.get('cached') ?? '')),
    field('Feedback', select('feedback', [['', 'Any'], ['1', 'Thumbs up'], ['-1', 'Thumbs down'], ['0', 'None']], params.get('feedback') ?? '')),
    text('cost_gt', 'Cost above (USD)', { type: 'number', step: 'any', min: 0 }),
    text('cost_lt', 'Cost below (USD)', { type: 'number', step: 'any', min: 0 }),
    text('tokens_gt', 'Tokens above', { type: 'number', min: 0 }),
    text('tokens_lt', 'Tokens below', { type: 'number', min: 0 }),
    text('duration_gt', 'Duration above (ms)', { type: 'number', min: 0 }),
    text('duration_lt', 'Duration below (ms)', { type: 'number', min: 0 }),
    text('meta_key', 'Metadata key'),
    text('meta_value', 'Metadata value'),
    text('team', 'Team id'),
    text('from', 'From', { type: 'datetime-local' }),
    text('to', 'To', { type: 'datetime-local' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('button', { type: 'button', onclick: () => navigate('logs', new URLSearchParams({ gateway })) }, 'Clear')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value !== '') next.set(name, value);
    next.set('order_by', orderBy);
    next.set('direction', direction);
    navigate('logs', next);
  });

  const tail = h('input', { type: 'checkbox', id: 'tail', checked: params.get('tail') === '1' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const table = h('div');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  main.append(h('h1', {}, 'Logs'), form,
    h('div', { class: 'row' }, h('div', { class: 'field check' }, tail, h('label', { for: 'tail' }, `Live tail (page 1, every ${TailMs / 1000} s)`)), status),
    h('section', { class: 'card', 'aria-label': 'Log rows' }, table, pager));
  tail.addEventListener('change', () => {
    const next = new URLSearchParams(params);
    if (tail.checked) { next.set('tail', '1'); next.delete('page'); } else next.delete('tail');
    navigate('logs', next);
  });

  const query = apiQuery(params, page, orderBy, direction);
  const load = async () => {
    main.dataset.state = 'loading';
    try {
      const { result, result_info: info } = await get(`/api/management/gateways/${enc(gateway)}/logs?${query}`);
      table.replaceChildren(rowsTable(result, params, gateway, orderBy, direction));
      const pages = Math.max(1, Math.ceil((info?.total_count ?? 0) / (info?.per_page ?? 20)));
      status.textContent = `${count(info?.total_count ?? result.length)} matching rows`;
      pager.replaceChildren(
        pageLink('Previous page', page > 1 ? page - 1 : null, params),
        h('span', {}, `Page ${page} of ${pages}`),
        pageLink('Next page', page < pages ? page + 1 : null, params));
      main.dataset.state = 'ready';
    } catch (error) {
      table.replaceChildren(errorBox(error));
      main.dataset.state = 'error';
    }
  };
  await load();

  const opened = params.get('open');
  let drawerClose = opened ? openDrawer(gateway, opened, () => navigate('logs', without(params, 'open'), true)) : null;
  const stopTail = params.get('tail') === '1' ? every(TailMs, load) : null;
  return () => { stopTail?.(); drawerClose?.(); drawerClose = null; };
}

function apiQuery(params, page, orderBy, direction) {
  const q = new URLSearchParams({ page, per_page: params.get('per_page') ?? '25', order_by: orderBy, order_by_direction: direction });
  if (params.get('search')) q.set('search', params.get('search'));
  const add = (key, operator, value) => { q.append('filters.key', key); q.append('filters.operator', operator); q.append('filters.value', value); };
  for (const [name, [key, operator]] of Object.entries(filterParams)) {
    const value = params.get(name);
    if (value) add(key, operator, value);
  }
  // datetime-local is in the browser's zone; the API wants an instant.
  if (params.get('from')) add('created_at', 'gt', new Date(params.get('from')).toISOString());
  if (params.get('to')) add('created_at', 'lt', new Date(params.get('to')).toISOString());
  return q.toString();
}

function rowsTable(rows, params, gateway, orderBy, direction) {
  if (rows.length === 0) return h('p', {}, 'No log rows match these filters.');
  const header = (key, label) => {
    const sorted = key === orderBy;
    const next = new URLSearchParams(params);
    next.set('order_by', key);
    next.set('direction', sorted && direction === 'desc' ? 'asc' : 'desc');
    next.delete('page');
    return h('th', { scope: 'col', 'aria-sort': sorted ? (direction === 'asc' ? 'ascending' : 'descending') : null },
      h('button', { type: 'button', class: 'sort', onclick: () => navigate('logs', next) }, label, sorted ? (direction === 'asc' ? ' ▲' : ' ▼') : ''));
  };
  const labels = Object.fromEntries(sortable);
  const open = id => { const next = new URLSearchParams(params); next.set('gateway', gateway); next.set('open', id); navigate('logs', next); };
  return h('table', { class: 'grid', id: 'log-rows' },
    h('caption', { class: 'muted', style: null }, 'Select a row (Enter) to open it'),
    h('thead', {}, h('tr', {},
      header('created_at', labels.created_at), header('provider', labels.provider), header('model', labels.model), header('success', labels.success),
      h('th', { scope: 'col' }, 'Duration'), h('th', { scope: 'col' }, 'Tokens in / out'), h('th', { scope: 'col' }, 'Cost'),
      header('cached', labels.cached), h('th', { scope: 'col' }, 'Feedback'))),
    h('tbody', {}, rows.map(row => h('tr', {
      tabindex: 0, dataset: { logId: row.id }, 'aria-label': `${row.model || row.provider} at ${time(row.created_at)}, status ${row.status_code}`,
      onclick: () => open(row.id), onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(row.id); } },
    },
    h('td', {}, time(row.created_at)), h('td', {}, row.provider), h('td', {}, row.model),
    h('td', { class: row.success ? 'ok' : 'bad' }, String(row.status_code)), h('td', {}, ms(row.duration)),
    h('td', {}, `${count(row.tokens_in)} / ${count(row.tokens_out)}`), h('td', {}, usd(row.cost)),
    h('td', {}, row.cached ? 'HIT' : 'MISS'), h('td', {}, row.feedback === 1 ? '▲ good' : row.feedback === -1 ? '▼ bad' : '')))));
}

function pageLink(label, target, params) {
  const next = new URLSearchParams(params);
  next.set('page', target ?? 1);
  return h('button', { type: 'button', disabled: target === null, onclick: () => navigate('logs', next) }, label);
}

function without(params, name) {
  const next = new URLSearchParams(params);
  next.delete(name);
  return next;
}
