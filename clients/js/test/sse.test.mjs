// The event-stream reader over the WHATWG examples, each fed whole, one byte per chunk and at random splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { streamEvents } from '../dist/index.js';

const encoder = new TextEncoder();

function splits(text) {
  const bytes = encoder.encode(text);
  const random = [];
  let seed = 7;
  for (let i = 0; i < bytes.length;) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (seed % 5);
    random.push(bytes.slice(i, i + n));
    i += n;
  }

  return {
    whole: [bytes],
    trickle: Array.from(bytes, (b) => Uint8Array.of(b)),
    random,
  };
}

async function read(chunks) {
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(chunk);
      }

      controller.close();
    },
  });
  const events = [];
  for await (const event of streamEvents(new Response(body))) {
    events.push(event);
  }

  return events;
}

const cases = [
  {
    name: 'data lines of one event are joined with LF',
    text: 'data: YHOO\ndata: +2\ndata: 10\n\n',
    events: [{ event: 'message', data: 'YHOO\n+2\n10', id: undefined }],
  },
  {
    name: 'comments are ignored, ids carry over, event types are kept',
    text: ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n',
    events: [
      { event: 'message', data: 'first event', id: '1' },
      { event: 'message', data: 'second event', id: '' },
      { event: 'message', data: ' third event', id: '' },
    ],
  },
  {
    name: 'CRLF and lone CR end lines too',
    text: 'event: delta\r\ndata: a\r\n\r\ndata: b\r\rdata: c\n\n',
    events: [
      { event: 'delta', data: 'a', id: undefined },
      { event: 'message', data: 'b', id: undefined },
      { event: 'message', data: 'c', id: undefined },
    ],
  },
  {
    name: 'an event without data is dropped and an unterminated last event is not dispatched',
    text: 'event: ping\n\ndata: kept\n\ndata: cut',
    events: [{ event: 'message', data: 'kept', id: undefined }],
  },
  {
    name: 'multi-byte characters split across chunks decode whole',
    text: 'data: {"content":"héllo — 你好 🌍"}\n\n',
    events: [{ event: 'message', data: '{"content":"héllo — 你好 🌍"}', id: undefined }],
  },
];

for (const c of cases) {
  for (const [mode, chunks] of Object.entries(splits(c.text))) {
    test(`${c.name} (${mode})`, async () => {
      assert.deepEqual(await read(chunks), c.events);
    });
  }
}

test('a stream can be iterated only once', async () => {
  const stream = streamEvents(new Response('data: x\n\n'));
  for await (const _ of stream) {
    // drain
  }

  assert.throws(() => stream[Symbol.asyncIterator](), TypeError);
});
