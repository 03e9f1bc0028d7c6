import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AiGatewayStream } from '../dist/index.js';
import { chat, newClient, waitForLog } from './helpers.mjs';

test('run with stream: true yields the events as an async iterator', async () => {
  const client = newClient();

  const stream = await client.run('openai/gpt-4o-mini', { ...chat('stream please'), stream: true }, { providerApiToken: 'sk-test' });
  assert.ok(stream instanceof AiGatewayStream);
  let text = '';
  let last;
  for await (const event of stream) {
    last = event;
    if (event.data !== '[DONE]') {
      text += JSON.parse(event.data).choices[0]?.delta?.content ?? '';
    }
  }

  assert.equal(last.data, '[DONE]');
  assert.equal(last.event, 'message');
  assert.ok(text.length > 0);
  assert.equal(stream.logId, client.lastLogId);
  assert.equal(stream.response.headers.get('content-type').split(';')[0], 'text/event-stream');
  const row = await waitForLog(client.gateway('default'), client.lastLogId);
  assert.equal(row.success, true);
});

test('breaking out of a stream early cancels the rest of it', async () => {
  const client = newClient();

  const stream = await client.run('openai/gpt-4o-mini', { ...chat('stop early'), stream: true }, {
    providerApiToken: 'sk-test',
    extraHeaders: { 'x-sim-tokens': '200', 'x-sim-tokens-per-second': '1000' },
  });
  let count = 0;
  for await (const event of stream) {
    assert.ok(event.data.length > 0);
    if (++count === 2) {
      break;
    }
  }

  assert.equal(count, 2);
  // The body was cancelled: nothing more of the 200 tokens can be read.
  assert.deepEqual(await stream.response.body.getReader().read(), { done: true, value: undefined });
});

test('a stream from Workers AI yields its token events', async () => {
  const client = newClient();

  const stream = await client.run('@cf/meta/llama-3.1-8b-instruct', { prompt: 'Hi', stream: true }, { providerApiToken: 'cf-test' });
  const events = [];
  for await (const event of stream) {
    events.push(event.data);
  }

  assert.equal(events.at(-1), '[DONE]');
  assert.equal(typeof JSON.parse(events[0]).response, 'string');
});
