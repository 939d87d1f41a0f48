/**
 * A tolerant reader for text/event-stream bodies. Why not the SDK's stream
 * reader: it throws on the first chunk that is not JSON and ends the stream;
 * here a malformed chunk is reported and skipped so one bad line does not
 * cost the whole brief.
 */
export interface SseMessage {
  readonly event: string | null;
  readonly data: string;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];
  let event: string | null = null;
  const flush = (): SseMessage | null => {
    if (dataLines.length === 0) {
      event = null;
      return null;
    }
    const message = { event, data: dataLines.join('\n') };
    dataLines = [];
    event = null;
    return message;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        const skip = buffer.startsWith('\r\n', newline) ? 2 : 1;
        buffer = buffer.slice(newline + skip);
        if (line === '') {
          const message = flush();
          if (message) yield message;
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') dataLines.push(value);
          else if (field === 'event') event = value;
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
      if (done) break;
    }
    if (buffer.length > 0 && buffer.startsWith('data:')) dataLines.push(buffer.slice(5).replace(/^ /, ''));
    const last = flush();
    if (last) yield last;
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}
