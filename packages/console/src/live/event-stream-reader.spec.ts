import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './event-stream-reader.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function all(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(streamOf(chunks))) events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  it('reads events split anywhere across chunks, skips comments, joins data lines', async () => {
    const events = await all([
      'id: 4',
      '2\nevent: flags-changed\nda',
      'ta: {"revision":42}\n\n: heartbeat\n\n',
      'data: a\ndata: b\n\n',
    ]);
    expect(events).toEqual([
      { id: '42', event: 'flags-changed', data: '{"revision":42}' },
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('ignores an event without data and a trailing unfinished one', async () => {
    expect(await all(['event: x\n\n', 'data: never finished'])).toEqual([]);
  });
});
