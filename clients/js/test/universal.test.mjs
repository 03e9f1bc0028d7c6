import assert from 'node:assert/strict';
import { test } from 'node:test';
import { streamEvents } from '../dist/index.js';
import { newClient, waitForLog } from './helpers.mjs';

const query = (content, extra = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra });

test('gateway.run walks a fallback chain: the failing first step hands over to the second', async () => {
  const client = newClient();
  const gateway = client.gateway('default');

  const response = await gateway.run([
    // The simulator answers this step 500 (x-sim-status); the number is sent as text, as the binding does.
    { provider: 'openai', endpoint: 'chat/completions', headers: { authorization: 'Bearer sk-test', 'x-sim-status': 500 }, query: query('first') },
    { provider: 'groq', endpoint: 'chat/completions', headers: { authorization: 'Bearer gsk-test' }, query: query('second') },
  ]);

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cf-aig-step'), '1');
  assert.equal((await response.json()).object, 'chat.completion');
  assert.equal(client.lastLogId, response.headers.get('cf-aig-log-id'));
  const row = await waitForLog(gateway, client.lastLogId);
  assert.equal(row.provider, 'groq');
  assert.equal(row.request_type, 'universal');
  assert.equal(row.step, 1);
});

test('gateway.run takes a single step and gateway options as headers', async () => {
  const client = newClient();
  const gateway = client.gateway('default');
  const eventId = `universal-${Date.now()}`;

  const response = await gateway.run(
    { provider: 'openai', endpoint: 'chat/completions', headers: { authorization: 'Bearer sk-test' }, query: query('one step') },
    { gateway: { eventId, metadata: { chain: 'single' } } },
  );

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cf-aig-step'), '0');
  assert.equal(response.headers.get('cf-aig-event-id'), eventId);
  await response.body.cancel();
  const row = await waitForLog(gateway, client.lastLogId);
  assert.equal(row.event_id, eventId);
  assert.deepEqual(row.metadata, { chain: 'single' });
});

test('a step config retries before falling back, and per-step cf-aig headers are objects sent as JSON', async () => {
  const client = newClient();
  const key = `fail-once-${Date.now()}-${Math.random()}`;

  const response = await client.gateway('default').run([
    {
      provider: 'openai',
      endpoint: 'chat/completions',
      headers: { 'x-sim-status': 503, 'x-sim-fail-first': 1, 'x-sim-fail-key': key, 'cf-aig-metadata': { attempt: 'retried' } },
      config: { maxAttempts: 2, retryDelay: 1, backoff: 'constant' },
      query: query('retry'),
    },
    { provider: 'groq', endpoint: 'chat/completions', query: query('fallback') },
  ]);

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cf-aig-step'), '0');
  await response.body.cancel();
});

test('a streamed Universal answer reads as events through streamEvents', async () => {
  const client = newClient();

  const response = await client.gateway('default').run([
    { provider: 'openai', endpoint: 'chat/completions', headers: { 'x-sim-status': 500 }, query: query('fail', { stream: true }) },
    { provider: 'openai', endpoint: 'chat/completions', query: query('stream', { stream: true }) },
  ]);
  const events = [];
  for await (const event of streamEvents(response)) {
    events.push(event);
  }

  assert.equal(response.headers.get('cf-aig-step'), '1');
  assert.equal(events.at(-1).data, '[DONE]');
  assert.ok(events.length > 2);
  assert.equal(JSON.parse(events[0].data).object, 'chat.completion.chunk');
});
