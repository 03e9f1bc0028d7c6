import type { Connection } from './connection.js';
import { AiGatewayInternalError, AiGatewayLogNotFound, readErrorDetail } from './errors.js';
import { setGatewayHeaders, stepHeadersAsText, jsonText } from './headers.js';
import { logFromWire, type AiGatewayLog, type AiGatewayPatchLog } from './log.js';
import type { UniversalRequest, UniversalRunOptions } from './options.js';

/** One gateway: the Universal Endpoint, its logs and its URLs, with the methods of the Workers binding's `env.AI.gateway(id)`. */
export class AiGateway {
  /** The gateway's id. */
  readonly id: string;

  readonly #connection: Connection;
  readonly #onLogId: (logId: string | null) => void;

  /** @internal Made by {@link AIGatewayClient.gateway}. */
  constructor(connection: Connection, id: string, onLogId: (logId: string | null) => void) {
    if (!id) {
      throw new TypeError('A gateway id is required');
    }

    this.#connection = connection;
    this.id = id;
    this.#onLogId = onLogId;
  }

  /**
   * Sends a fallback chain to the Universal Endpoint: the steps are tried in order until one answers. Returns the
   * gateway's response as it is (status, `cf-aig-step`, body); read a streamed one with `streamEvents(response)`.
   */
  async run(data: UniversalRequest | UniversalRequest[], options: UniversalRunOptions = {}): Promise<Response> {
    const steps = (Array.isArray(data) ? data : [data]).map((step) => {
      const headers = stepHeadersAsText(step.headers);
      return headers === undefined ? step : { ...step, headers };
    });

    const headers = this.#connection.proxyHeaders();
    setGatewayHeaders(headers, options.gateway);
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) {
      headers.set(name, value);
    }

    const response = await this.#connection.fetch(this.#connection.proxyUrl(this.id), {
      method: 'POST',
      headers,
      body: jsonText(steps),
      signal: options.signal ?? null,
    });
    this.#onLogId(response.headers.get('cf-aig-log-id'));
    return response;
  }

  /** One log row in detail. Throws {@link AiGatewayLogNotFound} when the gateway holds no such row. */
  async getLog(logId: string): Promise<AiGatewayLog> {
    const response = await this.#connection.fetch(this.#logUrl(logId), {
      method: 'GET',
      headers: this.#connection.managementHeaders(),
    });
    await throwUnlessOk(response);
    const body = (await response.json()) as { result: Record<string, unknown> };
    return logFromWire(body.result);
  }

  /** Sets a row's feedback (-1 down, 1 up, 0 or null none), score and metadata; fields left out stay. */
  async patchLog(logId: string, data: AiGatewayPatchLog): Promise<void> {
    const headers = this.#connection.managementHeaders();
    headers.set('content-type', 'application/json');
    const response = await this.#connection.fetch(this.#logUrl(logId), {
      method: 'PATCH',
      headers,
      body: jsonText(data),
    });
    await throwUnlessOk(response);
    await response.body?.cancel();
  }

  /**
   * The URL to point a provider's SDK at (`…/v1/{account}/{gateway}/{provider}`), or the Universal Endpoint's
   * (`…/v1/{account}/{gateway}/`) without a provider. Built from the client's settings, the same URL the gateway's
   * `GET …/gateways/{id}/url/{provider}` answers, with no call and no token needed; a Promise as in the binding.
   */
  getUrl(provider?: string): Promise<string> {
    return Promise.resolve(this.#connection.proxyUrl(this.id, provider ? encodeURIComponent(provider) : ''));
  }

  #logUrl(logId: string): string {
    return this.#connection.managementUrl(this.id, `logs/${encodeURIComponent(logId)}`);
  }
}

async function throwUnlessOk(response: Response): Promise<void> {
  if (response.ok) {
    return;
  }

  if (response.status === 404) {
    const detail = await readErrorDetail(response, 'Log not found');
    throw new AiGatewayLogNotFound(detail.message, 404, detail.code);
  }

  const detail = await readErrorDetail(response, `The logs API answered ${response.status}`);
  throw new AiGatewayInternalError(detail.message, response.status, detail.code);
}
