import { get, enc, listGateways } from './api.js';
import { h, field, select, errorBox } from './dom.js';
import { lineChart } from './chart.js';
import { count, rate, ms, usd, localInput } from './format.js';
import { navigate } from './app.js';
import { every } from './refresh.js';

// The overview reads /analytics only: the KPI cards are the ungrouped totals of the same range, so they match what a
// script calling /analytics with the page's start and end (data-start/data-end on the screen) gets, to the digit.
const Minute = 60_000, Hour = 60 * Minute, Day = 24 * Hour;
const RefreshMs = 15_000;

const ranges = [['hour', 'Last hour'], ['day', 'Last 24 hours'], ['yesterday', 'Yesterday'], ['week', 'Last 7 days'], ['custom', 'Custom']];
const dimensions = [['provider', 'Provider'], ['model', 'Model'], ['team', 'Team'], ['gateway', 'Gateway'], ['metadata', 'Metadata key']];

export async function render(main, { params }) {
  const gateways = await listGateways().catch(() => []);
  const state = {
    gateway: params.get('gateway') ?? '',
    range: params.get('range') ?? 'day',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    by: params.get('by') ?? 'model',
    meta: params.get('meta') ?? '',
    live: params.get('live') !== '0',
  };

  const form = h('form', { class: 'toolbar', 'aria-label': 'Overview filters' },
    field('Gateway', select('gateway', [['', 'All gateways'], ...gateways.map(g => [g.id, g.id])], state.gateway)),
    field('Time range', select('range', ranges, state.range)),
    state.range === 'custom' ? [
      field('From', h('input', { type: 'datetime-local', name: 'from', value: state.from, required: true })),
      field('To', h('input', { type: 'datetime-local', name: 'to', value: state.to, required: true })),
    ] : null,
    field('Break down by', select('by', dimensions, state.by)),
    state.by === 'metadata' ? field('Metadata key', h('input', { name: 'meta', value: state.meta, placeholder: 'e.g. customer', required: true })) : null,
    h('div', { class: 'field check' }, h('input', { type: 'checkbox', name: 'live', id: 'live', checked: state.live }),
      h('label', { for: 'live' }, `Live (every ${RefreshMs / 1000} s)`)),
    h('button', { type: 'submit' }, 'Apply'));
  const apply = () => {
    const data = new FormData(form);
    const next = new URLSearchParams({ gateway: data.get('gateway'), range: data.get('range'), by: data.get('by'), live: data.get('live') ? '1' : '0' });
    if (data.get('range') === 'custom') {
      const now = new Date();
      next.set('from', data.get('from') ?? localInput(new Date(now - Day)));
      next.set('to', data.get('to') ?? localInput(now));
    }
    if (data.get('by') === 'metadata') next.set('meta', data.get('meta') ?? '');
    navigate('overview', next);
  };
  form.addEventListener('submit', event => { event.preventDefault(); apply(); });
  // Selects apply at once; text and date fields on submit, so typing does not reload the screen per keystroke.
  for (const name of ['gateway', 'range', 'by', 'live']) form.elements[name].addEventListener('change', apply);

  const body = h('div', { class: 'overview-body' });
  main.append(h('h1', {}, 'Overview'), form, body);

  // On the first load the KPI cards are painted as soon as the totals arrive and the series and breakdown queries follow,
  // so a large log store delays the charts, not the first numbers. A live refresh swaps everything at once (no flicker).
  let sequence = 0;
  const load = async () => {
    const mine = ++sequence;
    main.dataset.state = 'loading';
    try {
      const view = viewOf(state);
      const totals = await get(`${view.base}?${view.range}`);
      if (mine !== sequence) return;
      const cards = kpiCards(totals.result[0] ?? null);
      if (!body.querySelector('.charts')) body.replaceChildren(cards, h('p', { class: 'muted' }, 'Loading charts…'));
      const [series, byTotals, bySeries] = await Promise.all([
        get(`${view.base}?${view.range}&bucket=${view.bucket}`),
        get(`${view.base}?${view.range}&group_by=${enc(view.groupBy)}`),
        get(`${view.base}?${view.range}&bucket=${view.bucket}&group_by=${enc(view.groupBy)}`),
      ]);
      if (mine !== sequence) return;
      Object.assign(view, { series: series.result, byTotals: byTotals.result, bySeries: bySeries.result });
      body.replaceChildren(cards, ...detail(view, state));
      main.dataset.start = view.start.toISOString();
      main.dataset.end = view.end.toISOString();
      main.dataset.state = 'ready';
    } catch (error) {
      if (mine !== sequence) return;
      body.replaceChildren(errorBox(error));
      main.dataset.state = 'error';
    }
  };
  await load();

  // Live refresh moves a relative range's end to now; a custom range is fixed, so there is nothing new to fetch.
  if (!state.live || state.range === 'custom') return null;
  return every(RefreshMs, load);
}

function rangeOf(state) {
  const now = new Date();
  switch (state.range) {
    case 'hour': return { start: new Date(now - Hour), end: now, bucket: 'minute' };
    case 'week': return { start: new Date(now - 7 * Day), end: now, bucket: 'hour' };
    case 'yesterday': {
      const end = new Date(now.getFullYear(), now.getMonth(), now.getDate());
      return { start: new Date(end - Day), end, bucket: 'hour' };
    }
    case 'custom': {
      const start = new Date(state.from), end = new Date(state.to);
      const span = end - start;
      return { start, end, bucket: span <= 3 * Hour ? 'minute' : span <= 14 * Day ? 'hour' : 'day' };
    }
    default: return { start: new Date(now - Day), end: now, bucket: 'hour' };
  }
}

function viewOf(state) {
  const { start, end, bucket } = rangeOf(state);
  if (isNaN(start) || isNaN(end) || end <= start) throw new Error('Choose a range whose end is after its start.');
  return {
    start, end, bucket,
    base: state.gateway ? `/api/management/gateways/${enc(state.gateway)}/analytics` : '/api/management/analytics',
    range: `start=${enc(start.toISOString())}&end=${enc(end.toISOString())}`,
    groupBy: state.by === 'metadata' ? `metadata.${state.meta}` : state.by,
  };
}

function kpiCards(totals) {
  const t = totals ?? { requests: 0, errors: 0, cache_hits: 0, tokens_in: 0, tokens_out: 0, cost: 0, cache_saved_cost: 0, rate_limited: 0,
    latency_ms: {}, time_to_first_token_ms: {} };
  const cards = h('section', { class: 'kpis', 'aria-label': 'Totals for the range' },
    kpi('requests', 'Requests', t.requests, count(t.requests)),
    kpi('errors', 'Errors', t.errors, count(t.errors), `${rate(t.errors, t.requests)} error rate`),
    kpi('tokens_in', 'Tokens in', t.tokens_in, count(t.tokens_in)),
    kpi('tokens_out', 'Tokens out', t.tokens_out, count(t.tokens_out)),
    // A cache hit is priced as the answer it replays, so the cost less what the cache saved is what providers billed.
    kpi('cost', 'Cost', t.cost, usd(t.cost), `${usd(Math.max(0, t.cost - t.cache_saved_cost))} paid to providers`),
    kpi('cache_hits', 'Cache hit rate', t.cache_hits, rate(t.cache_hits, t.requests), `${count(t.cache_hits)} ${t.cache_hits === 1 ? 'hit' : 'hits'}`),
    kpi('cache_saved_cost', 'Saved by the cache', t.cache_saved_cost, usd(t.cache_saved_cost)),
    kpi('latency', 'Latency p50 / p95', t.latency_ms.p50 ?? '', `${ms(t.latency_ms.p50)} / ${ms(t.latency_ms.p95)}`),
    kpi('ttft', 'Time to first token p50 / p95', t.time_to_first_token_ms.p50 ?? '',
      `${ms(t.time_to_first_token_ms.p50)} / ${ms(t.time_to_first_token_ms.p95)}`),
    kpi('rate_limited', 'Rate limited (429)', t.rate_limited, count(t.rate_limited)));
  return cards;
}

function detail(view, state) {
  const xs = buckets(view);
  const at = new Map(view.series.map(g => [Date.parse(g.bucket) / 1000, g]));
  const col = pick => xs.map(x => at.has(x) ? pick(at.get(x)) : 0);
  const colOrNull = pick => xs.map(x => at.has(x) ? pick(at.get(x)) : null);
  const dimensionLabel = dimensions.find(([v]) => v === state.by)?.[1] ?? state.by;
  const charts = h('section', { class: 'charts', 'aria-label': 'Charts over time' },
    lineChart('Requests and errors', xs, [{ label: 'Requests', values: col(g => g.requests) }, { label: 'Errors', values: col(g => g.errors) }], count),
    lineChart('Cost and cache savings (USD)', xs, [{ label: 'Cost', values: col(g => g.cost) }, { label: 'Saved by cache', values: col(g => g.cache_saved_cost) }], usd, usdTick),
    lineChart('Tokens', xs, [{ label: 'In', values: col(g => g.tokens_in) }, { label: 'Out', values: col(g => g.tokens_out) }], count),
    lineChart('Latency (ms)', xs, [
      { label: 'p50', values: colOrNull(g => g.latency_ms.p50) }, { label: 'p95', values: colOrNull(g => g.latency_ms.p95) },
      { label: 'TTFT p50', values: colOrNull(g => g.time_to_first_token_ms.p50) }], ms),
    lineChart(`Requests by ${dimensionLabel.toLowerCase()}`, xs, groupSeries(view, xs, g => g.requests), count),
    lineChart(`Cost by ${dimensionLabel.toLowerCase()} (USD)`, xs, groupSeries(view, xs, g => g.cost), usd, usdTick));

  return [charts, breakdownTable(view, dimensionLabel)];
}

// Axis ticks of a few cents' worth need two significant digits, not the legend's eight decimals.
const usdTick = v => v === 0 ? '$0' : `$${Number(v.toPrecision(2))}`;

function kpi(name, label, raw, text, sub) {
  return h('div', { class: 'kpi card', dataset: { kpi: name, raw: String(raw) } },
    h('span', { class: 'label' }, label), h('span', { class: 'value' }, text), sub ? h('span', { class: 'sub' }, sub) : null);
}

function buckets(view) {
  const width = { minute: Minute, hour: Hour, day: Day }[view.bucket];
  const xs = [];
  for (let t = Math.floor(view.start / width) * width; t < view.end; t += width) xs.push(t / 1000);
  return xs;
}

function groupName(group, key) {
  const value = group[key];
  if (key === 'team') return value === null ? '(no team)' : group.team_name ? `${group.team_name} (${value})` : value;
  return value === null || value === '' ? `(no ${key})` : String(value);
}

/** One line per group: the six largest by requests, the rest summed as "other", so the chart stays readable. */
function groupSeries(view, xs, pick) {
  const ranked = [...view.byTotals].sort((a, b) => b.requests - a.requests).map(g => groupName(g, view.groupBy));
  const top = new Set(ranked.slice(0, 6));
  const lines = new Map();
  const index = new Map(xs.map((x, i) => [x, i]));
  for (const group of view.bySeries) {
    const name = top.has(groupName(group, view.groupBy)) ? groupName(group, view.groupBy) : 'other';
    if (!lines.has(name)) lines.set(name, xs.map(() => 0));
    const i = index.get(Date.parse(group.bucket) / 1000);
    if (i !== undefined) lines.get(name)[i] += pick(group);
  }
  return [...lines].map(([label, values]) => ({ label, values }));
}

function breakdownTable(view, dimensionLabel) {
  const rows = [...view.byTotals].sort((a, b) => b.cost - a.cost || b.requests - a.requests);
  return h('section', { class: 'card', 'aria-labelledby': 'breakdown-title' },
    h('h2', { id: 'breakdown-title' }, `By ${dimensionLabel.toLowerCase()}`),
    rows.length === 0 ? h('p', {}, 'No requests in this range.') : h('table', { class: 'grid', id: 'breakdown' },
      h('thead', {}, h('tr', {}, [dimensionLabel, 'Requests', 'Errors', 'Tokens in', 'Tokens out', 'Cost', 'Cache hits', 'Saved by cache', 'p95 latency']
        .map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map(g => h('tr', {},
        h('th', { scope: 'row' }, groupName(g, view.groupBy)), h('td', {}, count(g.requests)), h('td', {}, count(g.errors)),
        h('td', {}, count(g.tokens_in)), h('td', {}, count(g.tokens_out)), h('td', {}, usd(g.cost)), h('td', {}, count(g.cache_hits)),
        h('td', {}, usd(g.cache_saved_cost)), h('td', {}, ms(g.latency_ms.p95)))))));
}
