import type { GatewayOptionsNoId, UniversalHeaders } from './options.js';

/**
 * Writes the gateway controls onto `cf-aig-*` headers, one header per option, as the Workers AI binding does:
 * only options that are set produce a header, booleans are `true`/`false`, metadata is JSON.
 */
export function setGatewayHeaders(headers: Headers, options: GatewayOptionsNoId | undefined): void {
  if (!options) {
    return;
  }

  if (options.skipCache !== undefined) {
    headers.set('cf-aig-skip-cache', options.skipCache ? 'true' : 'false');
  }

  // A TTL of 0 is sent too: to the gateway it means "do not cache this request", which is worth saying.
  if (options.cacheTtl !== undefined) {
    headers.set('cf-aig-cache-ttl', String(options.cacheTtl));
  }

  if (options.cacheKey !== undefined) {
    headers.set('cf-aig-cache-key', options.cacheKey);
  }

  if (options.metadata !== undefined) {
    headers.set('cf-aig-metadata', jsonText(options.metadata));
  }

  if (options.collectLog !== undefined) {
    headers.set('cf-aig-collect-log', options.collectLog ? 'true' : 'false');
  }

  if (options.eventId !== undefined) {
    headers.set('cf-aig-event-id', options.eventId);
  }

  if (options.requestTimeoutMs !== undefined) {
    headers.set('cf-aig-request-timeout', String(options.requestTimeoutMs));
  }

  const retries = options.retries;
  if (retries) {
    if (retries.maxAttempts !== undefined) {
      headers.set('cf-aig-max-attempts', String(retries.maxAttempts));
    }

    if (retries.retryDelayMs !== undefined) {
      headers.set('cf-aig-retry-delay', String(retries.retryDelayMs));
    }

    if (retries.backoff !== undefined) {
      headers.set('cf-aig-backoff', retries.backoff);
    }
  }
}

/** A Universal step's headers as text: numbers and booleans by their string form, objects as JSON; unset ones dropped. */
export function stepHeadersAsText(headers: UniversalHeaders | undefined): Record<string, string> | undefined {
  if (!headers) {
    return undefined;
  }

  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) {
      continue;
    }

    text[name] = typeof value === 'object' ? jsonText(value) : String(value);
  }

  return text;
}

/** JSON that also takes bigint metadata values (as numbers), which JSON.stringify refuses. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
