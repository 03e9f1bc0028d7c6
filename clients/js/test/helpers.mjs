// Settings and helpers shared by the tests that talk to a running gateway (started by the .NET test JsClientTests,
// or by hand: see the README's "Client libraries" section).
import { AIGatewayClient, AiGatewayLogNotFound } from '../dist/index.js';

/** The gateway under test; its providers must point at the simulator (Gateway.Fast.Simulator). */
export function settings() {
  const baseUrl = process.env.AI_GATEWAY_URL;
  const accountId = process.env.AI_GATEWAY_ACCOUNT_ID ?? 'test-account';
  const apiToken = process.env.AI_GATEWAY_API_TOKEN;
  if (!baseUrl || !apiToken) {
    throw new Error('Set AI_GATEWAY_URL and AI_GATEWAY_API_TOKEN (the management token) to a gateway whose providers point at the simulator');
  }

  return { baseUrl, accountId, apiToken };
}

export function newClient() {
  return new AIGatewayClient(settings());
}

export const chat = (content) => ({ messages: [{ role: 'user', content }] });

/**
 * A row is written after its response completes (the log queue commits every ~100 ms): asks until it is there,
 * up to a deadline, yielding between tries rather than sleeping a fixed time.
 */
export async function waitForLog(gateway, logId, until = () => true) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const row = await gateway.getLog(logId);
      if (until(row)) {
        return row;
      }
    } catch (e) {
      if (!(e instanceof AiGatewayLogNotFound)) {
        throw e;
      }
    }

    if (Date.now() > deadline) {
      throw new Error(`log row ${logId} never appeared`);
    }

    await new Promise((resolve) => setImmediate(resolve));
  }
}
