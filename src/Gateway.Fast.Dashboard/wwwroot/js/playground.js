import { get, enc, session, listGateways } from './api.js';
import { h, field, select, errorBox } from './dom.js';
import { events, deltaOf } from './sse.js';

// The playground sends a real request through the gateway's unified API (/compat/chat/completions, "provider/model"),
// streamed, so what it shows is what any client would get, and the request lands in the logs like any other.
export async function render(main, { params }) {
  const [gateways, { result: providers }] = await Promise.all([listGateways().catch(() => []), get('/api/management/providers')]);
  const gateway = select('gateway', gateways.map(g => [g.id, g.id]), params.get('gateway') || 'default');
  const provider = select('provider', providers.map(p => [p.id, p.id]), params.get('provider') || 'openai');
  const model = h('input', { name: 'model', value: params.get('model') || 'gpt-4o-mini', required: true });
  const key = h('input', { name: 'key', type: 'password', autocomplete: 'off' });
  const system = h('textarea', { name: 'system', rows: 2 });
  const prompt = h('textarea', { name: 'prompt', rows: 4, required: true, value: 'Say hello in five words.' });
  const stream = h('input', { type: 'checkbox', id: 'pg-stream', checked: true });
  const answer = h('pre', { class: 'body answer', tabindex: 0, 'aria-live': 'polite', id: 'answer' });
  const meta = h('p', { class: 'row', id: 'answer-meta' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const form = h('form', { class: 'card stack', 'aria-label': 'Chat request' },
    h('div', { class: 'row' }, field('Gateway', gateway), field('Provider', provider), field('Model', model),
      field('Provider API key', key, 'Optional: leave empty to use the gateway\'s stored key. Kept in this page only.'),
      h('div', { class: 'field check' }, stream, h('label', { for: 'pg-stream' }, 'Stream'))),
    field('System message', system), field('User message', prompt), h('div', { class: 'row' }, send));
  main.append(h('h1', {}, 'Playground'), form, h('section', { class: 'card', 'aria-label': 'Answer' }, h('h2', {}, 'Answer'), answer, meta));
  main.dataset.state = 'ready';

  let controller = null;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    controller?.abort();
    controller = new AbortController();
    answer.textContent = '';
    meta.replaceChildren();
    send.disabled = true;
    main.dataset.state = 'sending';
    const messages = [...(system.value.trim() ? [{ role: 'system', content: system.value }] : []), { role: 'user', content: prompt.value }];
    // The management token also passes an authenticated gateway's check (docs/gateway-api.md#management-token).
    const headers = { 'Content-Type': 'application/json', 'cf-aig-authorization': `Bearer ${session.token}` };
    if (key.value) headers.Authorization = `Bearer ${key.value}`;
    try {
      const response = await fetch(`/v1/local/${enc(gateway.value)}/compat/chat/completions`, {
        method: 'POST', headers, signal: controller.signal,
        body: JSON.stringify({ model: `${provider.value}/${model.value}`, messages, stream: stream.checked }),
      });
      const logId = response.headers.get('cf-aig-log-id');
      if (response.headers.get('content-type')?.includes('text/event-stream')) {
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const end = buffer.lastIndexOf('\n\n');
          if (end < 0) continue;
          for (const data of events(buffer.slice(0, end))) answer.textContent += deltaOf(data);
          buffer = buffer.slice(end + 2);
        }
      } else {
        const text = await response.text();
        let json = null;
        try { json = JSON.parse(text); } catch { /* shown as text */ }
        answer.textContent = json?.choices?.[0]?.message?.content ?? JSON.stringify(json, null, 2) ?? text;
      }
      meta.append(h('span', { class: response.ok ? 'ok' : 'bad' }, `HTTP ${response.status}`),
        h('span', {}, `cache ${response.headers.get('cf-aig-cache-status') ?? '–'}`),
        logId ? h('a', { href: `#/logs?gateway=${enc(gateway.value)}&open=${enc(logId)}`, id: 'log-link' }, 'Open its log row') : null);
    } catch (error) {
      if (error.name !== 'AbortError') meta.replaceChildren(errorBox(error));
    } finally {
      send.disabled = false;
      main.dataset.state = 'done';
    }
  });
  return () => controller?.abort();
}
