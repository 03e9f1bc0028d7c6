import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIGatewayClient } from '../dist/index.js';
import { newClient, settings } from './helpers.mjs';

test('getUrl builds provider and Universal URLs, equal to what the gateway answers', async () => {
  const { baseUrl, accountId, apiToken } = settings();
  const gateway = newClient().gateway('default');

  const openai = await gateway.getUrl('openai');
  const universal = await gateway.getUrl();

  const root = baseUrl.replace(/\/+$/, '');
  assert.equal(openai, `${root}/v1/${accountId}/default/openai`);
  assert.equal(universal, `${root}/v1/${accountId}/default/`);
  const answer = await fetch(`${root}/client/v4/accounts/${accountId}/ai-gateway/gateways/default/url/openai`, {
    headers: { authorization: `Bearer ${apiToken}` },
  });
  assert.equal((await answer.json()).result, openai);
});

test('a provider URL from getUrl is a working base for that provider', async () => {
  const url = await newClient().gateway('default').getUrl('openai');

  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
  });

  assert.equal(response.status, 200);
  assert.equal((await response.json()).object, 'chat.completion');
});

test('baseUrl defaults to AI_GATEWAY_URL, then http://localhost:8080', () => {
  const saved = process.env.AI_GATEWAY_URL;
  try {
    process.env.AI_GATEWAY_URL = 'http://gateway.example:9000/';
    assert.equal(new AIGatewayClient().baseUrl, 'http://gateway.example:9000');
    delete process.env.AI_GATEWAY_URL;
    assert.equal(new AIGatewayClient().baseUrl, 'http://localhost:8080');
  } finally {
    if (saved === undefined) {
      delete process.env.AI_GATEWAY_URL;
    } else {
      process.env.AI_GATEWAY_URL = saved;
    }
  }
});
