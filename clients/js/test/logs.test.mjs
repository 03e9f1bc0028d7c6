import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIGatewayClient, AiGatewayInternalError, AiGatewayLogNotFound } from '../dist/index.js';
import { chat, newClient, settings, waitForLog } from './helpers.mjs';

test('patchLog sets feedback, score and metadata, and getLog shows them on the row', async () => {
  const client = newClient();
  await client.run('openai/gpt-4o-mini', chat('rate me'), { providerApiToken: 'sk-test' });
  const gateway = client.gateway('default');
  const logId = client.lastLogId;
  await waitForLog(gateway, logId);

  await gateway.patchLog(logId, { feedback: 1, score: 95, metadata: { reviewed: true } });

  const row = await gateway.getLog(logId);
  assert.equal(row.feedback, 1);
  assert.equal(row.score, 95);
  assert.deepEqual(row.metadata, { reviewed: true });
});

test('patchLog leaves out what it is not given, and null clears', async () => {
  const client = newClient();
  await client.run('openai/gpt-4o-mini', chat('rate me twice'), { providerApiToken: 'sk-test' });
  const gateway = client.gateway('default');
  const logId = client.lastLogId;
  await waitForLog(gateway, logId);

  await gateway.patchLog(logId, { feedback: -1, score: 10 });
  await gateway.patchLog(logId, { score: null });

  const row = await gateway.getLog(logId);
  assert.equal(row.feedback, -1);
  assert.equal(row.score, null);
});

test('getLog returns the detail: sizes and the request head', async () => {
  const client = newClient();
  await client.run('openai/gpt-4o-mini', chat('detail please'), { providerApiToken: 'sk-test' });

  const row = await waitForLog(client.gateway('default'), client.lastLogId);

  assert.ok(row.request_size > 0);
  assert.ok(row.response_size > 0);
  assert.match(row.request_head, /detail please/);
  assert.equal(row.request_head_complete, true);
});

test('getLog and patchLog of an unknown id throw AiGatewayLogNotFound', async () => {
  const gateway = newClient().gateway('default');

  await assert.rejects(gateway.getLog('01ZZZZZZZZZZZZZZZZZZZZZZZZ'), AiGatewayLogNotFound);
  await assert.rejects(gateway.patchLog('01ZZZZZZZZZZZZZZZZZZZZZZZZ', { feedback: 1 }), AiGatewayLogNotFound);
});

test('a wrong token makes the logs API throw AiGatewayInternalError with the 401', async () => {
  const gateway = new AIGatewayClient({ ...settings(), apiToken: 'wrong-token' }).gateway('default');

  const error = await gateway.getLog('01ZZZZZZZZZZZZZZZZZZZZZZZZ').then(() => assert.fail('expected a rejection'), (e) => e);

  assert.ok(error instanceof AiGatewayInternalError);
  assert.equal(error.status, 401);
});

test('an invalid patch is refused with the gateway message', async () => {
  const client = newClient();
  await client.run('openai/gpt-4o-mini', chat('bad patch'), { providerApiToken: 'sk-test' });
  const gateway = client.gateway('default');
  await waitForLog(gateway, client.lastLogId);

  await assert.rejects(gateway.patchLog(client.lastLogId, { feedback: 7 }), (e) => e instanceof AiGatewayInternalError && e.status === 400 && /feedback/.test(e.message));
});
