import { Connection, type ClientOptions } from './connection.js';
import { AiGatewayError, readErrorDetail } from './errors.js';
import { AiGateway } from './gateway.js';
import { jsonText, setGatewayHeaders } from './headers.js';
import type { RunOptions } from './options.js';
import { AiGatewayStream } from './stream.js';

/** The request body of {@link AIGatewayClient.run}: the model's inputs (`messages`, `prompt`, `input`, `stream`, …). */
export type RunInputs = Record<string, unknown>;

/**
 * A client for a Gateway.Fast deployment, shaped like the Workers AI binding (`env.AI`): `run` a model through a
 * gateway, read the last request's log id, and reach a gateway's Universal Endpoint, logs and URLs.
 */
export class AIGatewayClient {
  readonly #connection: Connection;
  #lastLogId: string | null = null;

  constructor(options: ClientOptions = {}) {
    this.#connection = new Connection(options);
  }

  /** The gateway's root URL this client calls. */
  get baseUrl(): string {
    return this.#connection.baseUrl;
  }

  /** The log id (`cf-aig-log-id`) of this client's latest request through a gateway, or null before the first. */
  get lastLogId(): string | null {
    return this.#lastLogId;
  }

  /** The binding's name for {@link lastLogId}, so code ported from a Worker reads the same. */
  get aiGatewayLogId(): string | null {
    return this.#lastLogId;
  }

  /** One gateway's Universal Endpoint, logs and URLs. */
  gateway(id: string): AiGateway {
    return new AiGateway(this.#connection, id, (logId) => {
      this.#lastLogId = logId;
    });
  }

  /**
   * Runs a model through a gateway (the `default` one unless `options.gateway.id` names another).
   *
   * `@cf/…` models (or `provider: 'workers-ai'`) go to the Workers AI provider endpoint with `inputs` as the body.
   * Any other model is `{provider}/{model}` (or `model` with `options.provider`) and goes to the unified API,
   * `compat/chat/completions` (or `compat/embeddings` for inputs with `input` and no `messages`), in OpenAI's format.
   *
   * Returns the parsed JSON answer (for Workers AI, what is inside its `result` envelope, as the binding does); an {@link AiGatewayStream} of events when the answer is streamed
   * (`inputs.stream: true`); the raw `Response` for other content types or with `returnRawResponse`.
   * Throws {@link AiGatewayError} on a non-2xx answer.
   */
  run(model: string, inputs: RunInputs & { stream: true }, options?: RunOptions): Promise<AiGatewayStream>;
  run(model: string, inputs: RunInputs, options: RunOptions & { returnRawResponse: true }): Promise<Response>;
  // The answer's shape depends on the model; `any` by default keeps `result.choices[0]` usable without a cast.
  run<T = any>(model: string, inputs: RunInputs, options?: RunOptions): Promise<T>;
  async run(model: string, inputs: RunInputs, options: RunOptions = {}): Promise<unknown> {
    const route = routeFor(model, inputs, options.provider);
    const headers = this.#connection.proxyHeaders();
    setGatewayHeaders(headers, options.gateway);
    if (options.providerApiToken) {
      headers.set('authorization', `Bearer ${options.providerApiToken}`);
    }

    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) {
      headers.set(name, value);
    }

    const response = await this.#connection.fetch(this.#connection.proxyUrl(options.gateway?.id ?? 'default', route.path), {
      method: 'POST',
      headers,
      body: jsonText(route.body),
      signal: options.signal ?? null,
    });
    this.#lastLogId = response.headers.get('cf-aig-log-id');

    if (options.returnRawResponse) {
      return response;
    }

    if (!response.ok) {
      const detail = await readErrorDetail(response, `The gateway answered ${response.status}`);
      throw new AiGatewayError(detail.message, response.status, detail.code, this.#lastLogId);
    }

    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      return new AiGatewayStream(response, options.signal);
    }

    if (type.includes('json')) {
      const body: unknown = await response.json();
      return route.workersAi ? unwrapEnvelope(body) : body;
    }

    return response;
  }
}

type Route = { path: string; body: unknown; workersAi: boolean };

// Workers AI answers in Cloudflare's v4 envelope; the binding returns what is inside `result`, and so does this client.
function unwrapEnvelope(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'result' in body && (body as { success?: unknown }).success === true) {
    return (body as { result: unknown }).result;
  }

  return body;
}

function routeFor(model: string, inputs: RunInputs, provider: string | undefined): Route {
  if (provider === 'workers-ai' || (provider === undefined && (model.startsWith('@cf/') || model.startsWith('@hf/')))) {
    // The model id's slashes are path segments of the Workers AI endpoint (`@cf/meta/llama-3.1-8b-instruct`); '@' is
    // legal in a segment and kept as written, as Cloudflare's documented URLs show it.
    const path = model.split('/').map((segment) => encodeURIComponent(segment).replace(/%40/g, '@')).join('/');
    return { path: `workers-ai/${path}`, body: inputs, workersAi: true };
  }

  const qualified = provider ? `${provider}/${model}` : model;
  if (qualified.indexOf('/') <= 0) {
    throw new TypeError(`The model '${model}' names no provider: write '{provider}/{model}' or pass options.provider`);
  }

  const embeddings = 'input' in inputs && !('messages' in inputs);
  return {
    path: embeddings ? 'compat/embeddings' : 'compat/chat/completions',
    body: { ...inputs, model: qualified },
    workersAi: false,
  };
}
