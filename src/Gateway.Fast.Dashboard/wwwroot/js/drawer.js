import { get, api, enc, logBody } from './api.js';
import { h, field, errorBox, toast } from './dom.js';
import { count, ms, usd, time } from './format.js';
import { streamText } from './sse.js';

/**
 * Opens one log row in a modal side panel: what was asked and answered, what it cost, and feedback written back with
 * PATCH. Escape or the close button ends it; focus returns to where it was. Returns a function that closes it.
 */
export function openDrawer(gateway, id, onClose) {
  const before = document.activeElement;
  const content = h('div', { 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  const close = () => {
    backdrop.remove();
    panel.remove();
    document.removeEventListener('keydown', onKey);
    before?.focus?.();
  };
  const closeButton = h('button', { type: 'button', onclick: () => { close(); onClose(); } }, 'Close');
  const panel = h('aside', { class: 'drawer', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'drawer-title', dataset: { logId: id } },
    h('header', {}, h('h2', { id: 'drawer-title' }, 'Request'), closeButton), content);
  const backdrop = h('div', { class: 'drawer-backdrop', onclick: () => { close(); onClose(); } });
  const onKey = event => {
    if (event.key === 'Escape') { close(); onClose(); }
    if (event.key === 'Tab') trapFocus(event, panel);
  };
  document.addEventListener('keydown', onKey);
  document.body.append(backdrop, panel);
  closeButton.focus();

  const base = `/api/management/gateways/${enc(gateway)}/logs/${enc(id)}`;
  rowWhenStored(base)
    .then(found => Promise.all([found, logBody(gateway, id, 'request'), logBody(gateway, id, 'response')]))
    .then(([{ result: row }, request, response]) => {
      content.replaceChildren(...details(row, gateway), feedbackForm(base, row),
        bodySection('Request body', request), bodySection('Response body', response));
      panel.dataset.state = 'ready';
    })
    .catch(error => { content.replaceChildren(errorBox(error)); panel.dataset.state = 'error'; });
  return close;
}

/** The row is written just after its response ends, so a link followed at once (from the playground) may come first:
 * a 404 is asked again, 250 ms apart, for up to 10 s (a busy gateway commits its log in batches) before it is shown. */
async function rowWhenStored(base) {
  for (let attempt = 0; ; attempt++) {
    try { return await get(base); } catch (error) {
      if (error.status !== 404 || attempt === 40) throw error;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}

function details(row, gateway) {
  const facts = [
    ['Log id', row.id], ['Time', time(row.created_at)], ['Gateway', gateway], ['Provider', row.provider], ['Model', row.model || '–'],
    ['Path', row.path], ['Request type', row.request_type + (row.compatibilityMode ? ' (unified API)' : '')],
    ['Status', `${row.status_code} ${row.success ? 'success' : 'error'}`], ['Cache', row.cached ? 'HIT' : 'MISS'],
    ['Duration', ms(row.duration)], ['Time to first byte', ms(row.time_to_first_token_ms)],
    ['Tokens in / out', `${count(row.tokens_in)} / ${count(row.tokens_out)}${row.tokens_estimated ? ' (estimated)' : ''}`],
    ['Cost', `${usd(row.cost)}${row.custom_cost ? ' (custom)' : ''}`], ['Universal step', String(row.step ?? 0)],
    ['Authenticated', row.authentication ? 'yes' : 'no'], ['DLP', row.dlp_action ?? 'none'], ['Guardrail flags', row.guardrail_flags ?? 'none'],
    ['Team', row.team_id ? `${row.team_name ?? ''} (${row.team_id})` : '–'], ['Session', row.session_id ?? '–'], ['Event id', row.event_id ?? '–'],
    ['User agent', row.user_agent ?? '–'], ['Metadata', row.metadata ?? '–'],
    ['Sizes', `request ${count(row.request_size)} B, response ${count(row.response_size)} B`],
  ];
  // The response headers as the caller got them (the gateway keeps them without credentials or cookies). Rows written
  // before the gateway kept them have none: their cf-aig-* headers are rebuilt from the row's own columns and said so.
  const stored = row.response_headers ? Object.entries(row.response_headers) : null;
  const headers = stored ?? [['cf-aig-log-id', row.id], ['cf-aig-cache-status', row.cached ? 'HIT' : 'MISS'],
    ['cf-aig-step', String(row.step ?? 0)], row.event_id ? ['cf-aig-event-id', row.event_id] : null].filter(Boolean);
  return [
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h3', {}, 'Headers the gateway set'),
    stored ? null : h('p', { class: 'muted' }, 'Not kept for this row: the gateway\'s own headers, rebuilt from the row.'),
    h('dl', { class: 'facts', id: 'response-headers', dataset: { stored: String(!!stored) } },
      headers.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  ].filter(Boolean); // replaceChildren would show a null as the text "null"

}

function feedbackForm(base, row) {
  let feedback = row.feedback ?? 0;
  // The visible text is the accessible name (WCAG 2.5.3: a speech user says what they see); the arrow is decoration.
  const up = h('button', { type: 'button', 'aria-pressed': String(feedback === 1), dataset: { feedback: '1' } },
    h('span', { 'aria-hidden': 'true' }, '▲ '), 'Thumbs up');
  const down = h('button', { type: 'button', 'aria-pressed': String(feedback === -1), dataset: { feedback: '-1' } },
    h('span', { 'aria-hidden': 'true' }, '▼ '), 'Thumbs down');
  const score = h('input', { type: 'number', step: 'any', name: 'score', value: row.score ?? '' });
  const saved = h('span', { class: 'muted', id: 'feedback-saved' });
  const press = value => {
    feedback = feedback === value ? 0 : value;
    up.setAttribute('aria-pressed', String(feedback === 1));
    down.setAttribute('aria-pressed', String(feedback === -1));
  };
  up.addEventListener('click', () => press(1));
  down.addEventListener('click', () => press(-1));
  const form = h('form', { class: 'card', 'aria-labelledby': 'feedback-title' },
    h('h3', { id: 'feedback-title' }, 'Feedback'),
    h('div', { class: 'row' }, up, down, field('Score', score), h('button', { type: 'submit', class: 'primary' }, 'Save feedback'), saved));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const { result } = await api('PATCH', base, { feedback, score: score.value === '' ? null : Number(score.value) });
      saved.textContent = `Saved: feedback ${result.feedback}, score ${result.score ?? 'none'}`;
      toast('Feedback saved');
    } catch (error) {
      saved.textContent = '';
      toast(error.message, true);
    }
  });
  return form;
}

function bodySection(title, body) {
  const section = h('section', {}, h('h3', {}, title));
  if (body === null) {
    section.append(h('p', { class: 'muted' }, 'Not kept (logging of bodies was off for this request).'));
    return section;
  }
  if (body.contentType.includes('text/event-stream')) {
    section.append(h('p', { class: 'muted' }, 'Streamed: the text as the user saw it'), h('pre', { class: 'body', tabindex: 0, dataset: { body: 'text' } }, streamText(body.text)),
      h('details', {}, h('summary', {}, 'Raw events'), h('pre', { class: 'body', tabindex: 0 }, body.text)));
    return section;
  }
  section.append(h('pre', { class: 'body', tabindex: 0, dataset: { body: 'json' } }, pretty(body.text)));
  return section;
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

function trapFocus(event, panel) {
  const focusable = [...panel.querySelectorAll('button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')].filter(e => !e.disabled);
  if (focusable.length === 0) return;
  const first = focusable[0], last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
  else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
}
