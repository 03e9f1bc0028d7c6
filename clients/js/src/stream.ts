import { readServerSentEvents, type ServerSentEvent } from './sse.js';

/**
 * A streamed answer: iterate it with `for await` to get each server-sent event as it arrives. Breaking out of the
 * loop cancels the rest of the response. It can be iterated once.
 */
export class AiGatewayStream implements AsyncIterable<ServerSentEvent> {
  /** The gateway's response, for its status and headers (`cf-aig-cache-status`, `cf-aig-step`…); its body is the stream. */
  readonly response: Response;

  /** The request's log id (`cf-aig-log-id`). */
  readonly logId: string | null;

  readonly #signal: AbortSignal | undefined;
  #taken = false;

  constructor(response: Response, signal?: AbortSignal) {
    this.response = response;
    this.logId = response.headers.get('cf-aig-log-id');
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): AsyncIterator<ServerSentEvent> {
    if (this.#taken) {
      throw new TypeError('An AiGatewayStream can be iterated only once');
    }

    this.#taken = true;
    const body = this.response.body;
    if (!body) {
      return (async function* (): AsyncGenerator<ServerSentEvent> {})();
    }

    return readServerSentEvents(body, this.#signal);
  }
}

/** Reads a gateway response (e.g. from the Universal Endpoint's `run`) as a stream of server-sent events. */
export function streamEvents(response: Response, signal?: AbortSignal): AiGatewayStream {
  return new AiGatewayStream(response, signal);
}
