// How options become request headers, seen through a fetch double (no gateway needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIGatewayClient } from '../dist/index.js';

function recordingClient(options = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, headers: Object.fromEntries(new Headers(init.headers)) });
    return new Response('{"ok":true}', { headers: { 'content-type': 'application/json', 'cf-aig-log-id': 'LOG' } });
  };
  return { client: new AIGatewayClient({ baseUrl: 'http://gw.test/', accountId: 'acct', fetch, ...options }), calls };
}

test('every gateway option maps onto its cf-aig header, as the binding maps it', async () => {
  const { client, calls } = recordingClient({ apiToken: 'tok' });

  await client.run('openai/gpt-4o-mini', { messages: [] }, {
    gateway: {
      id: 'my-gw',
      cacheTtl: 3600,
      skipCache: false,
      cacheKey: 'k1',
      metadata: { user: 'ada', n: 1n },
      collectLog: true,
      eventId: 'e-1',
      requestTimeoutMs: 2500,
      retries: { maxAttempts: 3, retryDelayMs: 100, backoff: 'exponential' },
    },
    providerApiToken: 'sk-provider',
  });

  const { url, headers, init } = calls[0];
  assert.equal(url, 'http://gw.test/v1/acct/my-gw/compat/chat/completions');
  assert.deepEqual(headers, {
    'authorization': 'Bearer sk-provider',
    'cf-aig-authorization': 'Bearer tok',
    'cf-aig-backoff': 'exponential',
    'cf-aig-cache-key': 'k1',
    'cf-aig-cache-ttl': '3600',
    'cf-aig-collect-log': 'true',
    'cf-aig-event-id': 'e-1',
    'cf-aig-max-attempts': '3',
    'cf-aig-metadata': '{"user":"ada","n":1}',
    'cf-aig-request-timeout': '2500',
    'cf-aig-retry-delay': '100',
    'cf-aig-skip-cache': 'false',
    'content-type': 'application/json',
  });
  assert.deepEqual(JSON.parse(init.body), { messages: [], model: 'openai/gpt-4o-mini' });
  assert.equal(client.lastLogId, 'LOG');
});

test('options left out send no header, and no token sends no cf-aig-authorization', async () => {
  const { client, calls } = recordingClient();

  await client.run('anthropic/claude-sonnet-4-5', { messages: [] });

  assert.deepEqual(calls[0].headers, { 'content-type': 'application/json' });
  assert.equal(calls[0].url, 'http://gw.test/v1/acct/default/compat/chat/completions');
});

test('inputs with input and no messages go to the embeddings endpoint; @cf models to Workers AI', async () => {
  const { client, calls } = recordingClient();

  await client.run('openai/text-embedding-3-small', { input: 'hello' });
  await client.run('@cf/meta/llama-3.1-8b-instruct', { prompt: 'hi' });

  assert.equal(calls[0].url, 'http://gw.test/v1/acct/default/compat/embeddings');
  assert.equal(calls[1].url, 'http://gw.test/v1/acct/default/workers-ai/@cf/meta/llama-3.1-8b-instruct');
  assert.deepEqual(JSON.parse(calls[1].init.body), { prompt: 'hi' });
});

test('Universal steps get their header values as text and the request the gateway options', async () => {
  const { client, calls } = recordingClient({ apiToken: 'tok' });

  await client.gateway('g').run(
    { provider: 'openai', endpoint: 'chat/completions', headers: { 'cf-aig-cache-ttl': 60, 'cf-aig-skip-cache': true, 'cf-aig-metadata': { a: 1 } }, query: {} },
    { gateway: { cacheTtl: 120, retries: { maxAttempts: 2 } }, extraHeaders: { 'x-extra': '1' } },
  );

  assert.equal(calls[0].url, 'http://gw.test/v1/acct/g/');
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(calls[0].init.body), [
    { provider: 'openai', endpoint: 'chat/completions', headers: { 'cf-aig-cache-ttl': '60', 'cf-aig-skip-cache': 'true', 'cf-aig-metadata': '{"a":1}' }, query: {} },
  ]);
  assert.equal(calls[0].headers['cf-aig-cache-ttl'], '120');
  assert.equal(calls[0].headers['cf-aig-max-attempts'], '2');
  assert.equal(calls[0].headers['cf-aig-authorization'], 'Bearer tok');
  assert.equal(calls[0].headers['x-extra'], '1');
});

test('the logs API is called on the v4 path with the token as Authorization', async () => {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, headers: Object.fromEntries(new Headers(init.headers)) });
    return new Response('{"success":true,"result":{"id":"L1","created_at":"2026-01-02T03:04:05.000Z","metadata":"{\\"a\\":1}"}}', {
      headers: { 'content-type': 'application/json' },
    });
  };
  const gateway = new AIGatewayClient({ baseUrl: 'http://gw.test', accountId: 'acct', apiToken: 'tok', fetch }).gateway('g');

  const row = await gateway.getLog('L1');
  await gateway.patchLog('L1', { feedback: 1, score: 95 });

  assert.equal(calls[0].url, 'http://gw.test/client/v4/accounts/acct/ai-gateway/gateways/g/logs/L1');
  assert.equal(calls[0].headers.authorization, 'Bearer tok');
  assert.deepEqual(row.metadata, { a: 1 });
  assert.equal(row.created_at.toISOString(), '2026-01-02T03:04:05.000Z');
  assert.equal(calls[1].init.method, 'PATCH');
  assert.deepEqual(JSON.parse(calls[1].init.body), { feedback: 1, score: 95 });
});
