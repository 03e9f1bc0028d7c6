/** One server-sent event: its type (`message` when the stream named none), its data and its id. */
export type ServerSentEvent = {
  event: string;
  data: string;
  id: string | undefined;
};

/**
 * Reads a `text/event-stream` body as events, following the WHATWG parsing rules: lines end in CRLF, LF or CR;
 * `data` lines of one event are joined with LF; a line starting with `:` is a comment; an event is dispatched at a
 * blank line and an event with no data is dropped. Each event is yielded as soon as its blank line arrives.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let lastId: string | undefined;

  // Returns the event a line completes, if any; keeps field state across lines.
  const takeLine = (line: string): ServerSentEvent | undefined => {
    if (line.length === 0) {
      const done = data.length > 0 ? { event: event || 'message', data: data.join('\n'), id: lastId } : undefined;
      event = '';
      data = [];
      return done;
    }

    if (line.charCodeAt(0) === 0x3a) {
      return undefined; // ':' comment (keep-alive)
    }

    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) {
      value = value.slice(1);
    }

    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          id = value;
          lastId = id;
        }
        break;
      default:
        break; // 'retry' and unknown fields mean nothing to a reader that does not reconnect
    }

    return undefined;
  };

  try {
    while (true) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });

      // Split on CRLF, LF or CR. A CR at the very end may be the first half of a CRLF still in flight: kept back.
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 0x0a && c !== 0x0d) {
          continue;
        }

        if (c === 0x0d && i === buffer.length - 1 && !done) {
          break;
        }

        const completed = takeLine(buffer.slice(start, i));
        if (c === 0x0d && buffer.charCodeAt(i + 1) === 0x0a) {
          i++;
        }

        start = i + 1;
        if (completed) {
          yield completed;
        }
      }

      buffer = buffer.slice(start);
      if (done) {
        // The stream ended without a final blank line: the spec drops an unterminated event.
        return;
      }
    }
  } finally {
    // Leaving the loop early (break, an exception, the caller's return) cancels the HTTP body so the connection is freed.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
