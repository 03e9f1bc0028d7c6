import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIGatewayClient, AiGatewayError } from '../dist/index.js';
import { chat, newClient, settings, waitForLog } from './helpers.mjs';

const ulid = /^[0-9A-HJKMNP-TV-Z]{26}$/;

test('run completes a chat through the unified API and records lastLogId', async () => {
  const client = newClient();
  assert.equal(client.lastLogId, null);

  const result = await client.run('openai/gpt-4o-mini', chat('Hello'), { providerApiToken: 'sk-test' });

  assert.equal(result.object, 'chat.completion');
  assert.ok(result.choices[0].message.content.length > 0);
  assert.match(client.lastLogId, ulid);
  assert.equal(client.aiGatewayLogId, client.lastLogId);
  const row = await waitForLog(client.gateway('default'), client.lastLogId);
  assert.equal(row.provider, 'openai');
  assert.equal(row.model, 'gpt-4o-mini');
  assert.equal(row.request_type, 'compat');
  assert.equal(row.success, true);
  assert.ok(row.created_at instanceof Date && !Number.isNaN(row.created_at.getTime()));
});

test('run with options.provider qualifies a bare model name', async () => {
  const client = newClient();

  const result = await client.run('gpt-4o-mini', chat('Hello'), { provider: 'openai', providerApiToken: 'sk-test' });

  assert.equal(result.model, 'gpt-4o-mini');
  const row = await waitForLog(client.gateway('default'), client.lastLogId);
  assert.equal(row.provider, 'openai');
});

test('run sends @cf models to Workers AI and returns what is inside the envelope, as the binding does', async () => {
  const client = newClient();

  const result = await client.run('@cf/meta/llama-3.1-8b-instruct', { prompt: 'Hello' }, { providerApiToken: 'cf-test' });

  assert.equal(typeof result.response, 'string');
  assert.ok(result.response.length > 0);
  const row = await waitForLog(client.gateway('default'), client.lastLogId);
  assert.equal(row.provider, 'workers-ai');
});

test('gateway options arrive as cf-aig headers: metadata and event id on the row, the cache TTL as a HIT', async () => {
  const client = newClient();
  const eventId = `evt-${Date.now()}`;
  const inputs = chat(`cache me ${eventId}`);
  const gateway = { id: 'default', cacheTtl: 600, metadata: { user: 'ada', tier: 2, beta: true }, eventId };

  const first = await client.run('openai/gpt-4o-mini', inputs, { gateway, providerApiToken: 'sk-test', returnRawResponse: true });
  const firstId = client.lastLogId;
  const second = await client.run('openai/gpt-4o-mini', inputs, { gateway, providerApiToken: 'sk-test', returnRawResponse: true });

  assert.equal(first.headers.get('cf-aig-cache-status'), 'MISS');
  assert.equal(second.headers.get('cf-aig-cache-status'), 'HIT');
  assert.equal(second.headers.get('cf-aig-event-id'), eventId);
  assert.deepEqual(await second.json(), await first.json());
  const row = await waitForLog(client.gateway('default'), firstId);
  assert.equal(row.event_id, eventId);
  assert.deepEqual(row.metadata, { user: 'ada', tier: 2, beta: true });
});

test('skipCache bypasses the cache', async () => {
  const client = newClient();

  const response = await client.run('openai/gpt-4o-mini', chat('no cache'), {
    gateway: { id: 'default', cacheTtl: 600, skipCache: true },
    providerApiToken: 'sk-test',
    returnRawResponse: true,
  });

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cf-aig-cache-status'), 'BYPASS');
  await response.body.cancel();
});

test('collectLog false keeps the request out of the logs', async () => {
  const client = newClient();

  await client.run('openai/gpt-4o-mini', chat('unlogged'), { gateway: { id: 'default', collectLog: false }, providerApiToken: 'sk-test' });
  const unloggedId = client.lastLogId;
  // A logged request after it: once its row is there, the unlogged one would have been written before it.
  await client.run('openai/gpt-4o-mini', chat('logged'), { providerApiToken: 'sk-test' });
  await waitForLog(client.gateway('default'), client.lastLogId);

  await assert.rejects(client.gateway('default').getLog(unloggedId), { name: 'AiGatewayLogNotFound' });
});

test('a refused request throws AiGatewayError with the status, the gateway code and the log id', async () => {
  const client = newClient();

  const error = await client.run('openai/gpt-4o-mini', chat('Hello'), { gateway: { id: 'no-such-gateway' }, providerApiToken: 'sk-test' })
    .then(() => assert.fail('expected a rejection'), (e) => e);

  assert.ok(error instanceof AiGatewayError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 2001);
  assert.match(error.message, /no-such-gateway|gateway/i);
  assert.equal(error.logId, client.lastLogId);
});

test('a provider error passes through as AiGatewayError with the provider status', async () => {
  const client = newClient();

  const error = await client.run('openai/gpt-4o-mini', chat('Hello'), { providerApiToken: 'sk-test', extraHeaders: { 'x-sim-status': '401' } })
    .then(() => assert.fail('expected a rejection'), (e) => e);

  assert.ok(error instanceof AiGatewayError);
  assert.equal(error.status, 401);
  assert.ok(error.message.length > 0);
});

test('a model without a provider is refused before any request', async () => {
  let called = false;
  const client = new AIGatewayClient({ ...settings(), fetch: () => { called = true; throw new Error('no call expected'); } });

  await assert.rejects(client.run('gpt-4o-mini', chat('Hello')), TypeError);
  assert.equal(called, false);
});
