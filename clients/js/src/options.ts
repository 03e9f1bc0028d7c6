/** Retries of the upstream call, as `cf-aig-max-attempts`, `cf-aig-retry-delay` and `cf-aig-backoff`. */
export type GatewayRetries = {
  /** Total attempts, 1 (no retry) to 5. */
  maxAttempts?: 1 | 2 | 3 | 4 | 5;
  /** Base delay between attempts in milliseconds, at most 5000. */
  retryDelayMs?: number;
  backoff?: 'constant' | 'linear' | 'exponential';
};

/** A value `cf-aig-metadata` can hold: at most 5 entries, each a string, number or boolean. */
export type GatewayMetadata = Record<string, number | string | boolean | null | bigint>;

/** The per-request gateway controls of the Workers AI binding, without the gateway id. */
export type GatewayOptionsNoId = {
  /** `cf-aig-cache-key`: use this cache key instead of the derived one. */
  cacheKey?: string;
  /** `cf-aig-cache-ttl`: cache this answer for that many seconds. */
  cacheTtl?: number;
  /** `cf-aig-skip-cache`: neither read nor write the cache. */
  skipCache?: boolean;
  /** `cf-aig-metadata`: kept on the log row. */
  metadata?: GatewayMetadata;
  /** `cf-aig-collect-log`: log this request or not, whatever the gateway's setting says. */
  collectLog?: boolean;
  /** `cf-aig-event-id`: your correlation id, kept on the log row and echoed back. */
  eventId?: string;
  /** `cf-aig-request-timeout`: milliseconds allowed to the upstream's first response byte. */
  requestTimeoutMs?: number;
  retries?: GatewayRetries;
};

/** Gateway controls for {@link AIGatewayClient.run}: the gateway id (default `default`) and its per-request controls. */
export type GatewayOptions = GatewayOptionsNoId & {
  id?: string;
};

/** Options of {@link AIGatewayClient.run}. */
export type RunOptions = {
  gateway?: GatewayOptions;
  /**
   * The provider to call when `model` does not name it: `run('gpt-4o-mini', …, { provider: 'openai' })` is
   * `run('openai/gpt-4o-mini', …)`. `workers-ai` sends the model to the Workers AI endpoint.
   */
  provider?: string;
  /** The provider's own key, sent as `Authorization: Bearer`; leave it out when the gateway holds the key. */
  providerApiToken?: string;
  /** Return the gateway's `Response` untouched instead of the parsed body or event stream. */
  returnRawResponse?: boolean;
  /** More request headers, sent as given (after the ones above, so they win). */
  extraHeaders?: Record<string, string>;
  signal?: AbortSignal;
};

/** Options of {@link AiGateway.run} (the Universal Endpoint). */
export type UniversalRunOptions = {
  gateway?: GatewayOptionsNoId;
  extraHeaders?: Record<string, string>;
  signal?: AbortSignal;
};

/** The headers a Universal step may carry; numbers, booleans and objects are sent as text. */
export type UniversalHeaders = {
  'cf-aig-metadata'?: GatewayMetadata | string;
  'cf-aig-custom-cost'?: { per_token_in?: number; per_token_out?: number } | { total_cost?: number } | string;
  'cf-aig-cache-ttl'?: number | string;
  'cf-aig-skip-cache'?: boolean | string;
  'cf-aig-cache-key'?: string;
  'cf-aig-event-id'?: string;
  'cf-aig-request-timeout'?: number | string;
  'cf-aig-max-attempts'?: number | string;
  'cf-aig-retry-delay'?: number | string;
  'cf-aig-backoff'?: string;
  'cf-aig-collect-log'?: boolean | string;
  Authorization?: string;
  'Content-Type'?: string;
  [name: string]: string | number | boolean | object | undefined;
};

/** One step of a Universal Endpoint fallback chain. */
export type UniversalRequest = {
  /** A provider slug (`openai`, `anthropic`, `workers-ai`, …, or `compat`). */
  provider: string;
  /** The path under that provider's base, e.g. `chat/completions`. */
  endpoint: string;
  headers?: UniversalHeaders;
  /** The JSON body sent upstream. */
  query: unknown;
  /** Per-step timeout and retries, which win over the request's headers. */
  config?: {
    requestTimeout?: number;
    maxAttempts?: number;
    retryDelay?: number;
    backoff?: 'constant' | 'linear' | 'exponential';
  };
};
