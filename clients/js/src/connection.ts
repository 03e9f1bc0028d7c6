/** What a client needs to reach one gateway deployment. */
export type ClientOptions = {
  /** The gateway's root URL. Default: the `AI_GATEWAY_URL` environment variable, else `http://localhost:8080`. */
  baseUrl?: string;
  /** The account segment of gateway URLs (free text on a self-hosted gateway). Default: `default`. */
  accountId?: string;
  /**
   * The management token (or a gateway token): sent as `Authorization: Bearer` to the logs API and as
   * `cf-aig-authorization` to the proxy, which an authenticated gateway requires.
   */
  apiToken?: string;
  /** The fetch to use (default: the global one), e.g. one with a proxy agent or a test double. */
  fetch?: typeof fetch;
};

// Reads an environment variable where there is a process (Node, Bun, Deno's compat), without a Node type dependency.
function environment(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = process?.env?.[name];
  return value ? value : undefined;
}

/** The resolved connection settings and the URL shapes of the gateway's surfaces, shared by a client and its gateways. */
export class Connection {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly apiToken: string | undefined;
  readonly fetch: typeof fetch;

  constructor(options: ClientOptions) {
    const base = options.baseUrl ?? environment('AI_GATEWAY_URL') ?? 'http://localhost:8080';
    this.baseUrl = base.replace(/\/+$/, '');
    this.accountId = options.accountId ?? 'default';
    this.apiToken = options.apiToken;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') {
      throw new TypeError('No fetch available: pass options.fetch or use a runtime with a global fetch (Node 18+)');
    }

    // Bound so a global fetch is never called with this object as its receiver.
    this.fetch = f.bind(globalThis);
  }

  /** `{base}/v1/{account}/{gateway}/` followed by `path` (each segment of a provider path kept as given). */
  proxyUrl(gateway: string, path = ''): string {
    return `${this.baseUrl}/v1/${encodeURIComponent(this.accountId)}/${encodeURIComponent(gateway)}/${path}`;
  }

  /** Cloudflare's v4 management URL of one gateway's resource, e.g. `logs/{id}`. */
  managementUrl(gateway: string, path: string): string {
    return `${this.baseUrl}/client/v4/accounts/${encodeURIComponent(this.accountId)}/ai-gateway/gateways/${encodeURIComponent(gateway)}/${path}`;
  }

  /** Headers for a proxy call: JSON body, and the gateway credential when the client has a token. */
  proxyHeaders(): Headers {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (this.apiToken) {
      headers.set('cf-aig-authorization', `Bearer ${this.apiToken}`);
    }

    return headers;
  }

  /** Headers for a management call: the token as `Authorization: Bearer`. */
  managementHeaders(): Headers {
    const headers = new Headers({ accept: 'application/json' });
    if (this.apiToken) {
      headers.set('authorization', `Bearer ${this.apiToken}`);
    }

    return headers;
  }
}
