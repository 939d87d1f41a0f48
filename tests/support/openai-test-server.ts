/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 (random port) for tests.
 * POST /v1/chat/completions (streamed as SSE `data:` chunks ending in
 * `[DONE]`, or one JSON body) and GET /v1/models. Each chat request takes the
 * next scripted behaviour (or the default), and every request is recorded
 * with its exact body so tests can assert what was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export type Behaviour =
  /** Content deltas, streamed (or joined into one JSON answer for a non-streamed request). */
  | { readonly kind: 'reply'; readonly chunks: readonly string[]; readonly firstTokenDelayMs?: number; readonly chunkDelayMs?: number; readonly usage?: Usage | null }
  /** An error status, optionally with Retry-After (seconds or date) and retry-after-ms. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly retryAfterMs?: string; readonly message?: string }
  /** Raw SSE `data:` payloads written as given (for malformed chunks), then [DONE]. */
  | { readonly kind: 'raw-stream'; readonly data: readonly string[]; readonly chunkDelayMs?: number }
  /** Streams these chunks, then cuts the connection without [DONE]. */
  | { readonly kind: 'drop-after'; readonly chunks: readonly string[]; readonly chunkDelayMs?: number }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' }
  /** Headers sent, then nothing until the client gives up. */
  | { readonly kind: 'hang-after-headers' };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as received. */
  readonly bodyText: string;
  readonly body: unknown;
  readonly receivedAt: number;
}

export interface OpenAiTestServer {
  /** http://127.0.0.1:PORT/v1 */
  readonly baseURL: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly chatRequests: () => RecordedRequest[];
  /** Behaviours for the next chat requests, in order. */
  enqueue(...behaviours: Behaviour[]): void;
  setDefault(behaviour: Behaviour): void;
  setModels(models: readonly string[] | { status: number }): void;
  close(): Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function chunkJson(model: string, delta: Record<string, unknown>, finish: string | null): string {
  return JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }] });
}

export async function startOpenAiTestServer(options: { default?: Behaviour; models?: readonly string[] } = {}): Promise<OpenAiTestServer> {
  const queue: Behaviour[] = [];
  let fallback: Behaviour = options.default ?? { kind: 'reply', chunks: ['- ok\n'] };
  let models: readonly string[] | { status: number } = options.models ?? ['test-model'];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let closing = false;

  async function writeSse(res: ServerResponse, data: readonly string[], delays: { first?: number; each?: number }): Promise<boolean> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    for (const [i, d] of data.entries()) {
      const delay = i === 0 ? (delays.first ?? delays.each ?? 0) : (delays.each ?? 0);
      if (delay > 0) await wait(delay);
      if (res.destroyed || closing) return false;
      res.write(`data: ${d}\n\n`);
    }
    return true;
  }

  async function chat(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const behaviour = queue.shift() ?? fallback;
    const model = typeof body.model === 'string' ? body.model : 'test-model';
    const streamed = body.stream === true;
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    switch (behaviour.kind) {
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
        if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = behaviour.retryAfterMs;
        res.writeHead(behaviour.status, headers);
        res.end(JSON.stringify({ error: { message: behaviour.message ?? `scripted ${behaviour.status}`, type: 'test', code: null } }));
        return;
      }
      case 'hang':
        return;
      case 'hang-after-headers':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        return;
      case 'raw-stream': {
        if (await writeSse(res, [...behaviour.data, '[DONE]'], { each: behaviour.chunkDelayMs })) res.end();
        return;
      }
      case 'drop-after': {
        const data = [chunkJson(model, { role: 'assistant', content: '' }, null), ...behaviour.chunks.map((c) => chunkJson(model, { content: c }, null))];
        await writeSse(res, data, { each: behaviour.chunkDelayMs });
        await wait(10);
        res.socket?.destroy();
        return;
      }
      case 'reply': {
        const usage = behaviour.usage === undefined ? null : behaviour.usage;
        if (!streamed) {
          if (behaviour.firstTokenDelayMs) await wait(behaviour.firstTokenDelayMs);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: 'chatcmpl-test',
              object: 'chat.completion',
              created: 1_700_000_000,
              model,
              choices: [{ index: 0, message: { role: 'assistant', content: behaviour.chunks.join('') }, finish_reason: 'stop' }],
              ...(usage ? { usage } : {}),
            }),
          );
          return;
        }
        const data = [
          chunkJson(model, { role: 'assistant', content: '' }, null),
          ...behaviour.chunks.map((c) => chunkJson(model, { content: c }, null)),
          chunkJson(model, {}, 'stop'),
          ...(usage && wantsUsage ? [JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage })] : []),
          '[DONE]',
        ];
        // The role chunk goes out at once; the first content waits firstTokenDelayMs.
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        for (const [i, d] of data.entries()) {
          const delay = i === 1 ? (behaviour.firstTokenDelayMs ?? behaviour.chunkDelayMs ?? 0) : i > 1 ? (behaviour.chunkDelayMs ?? 0) : 0;
          if (delay > 0) await wait(delay);
          if (res.destroyed || closing) return;
          res.write(`data: ${d}\n\n`);
        }
        res.end();
        return;
      }
    }
  }

  const server = createServer((req, res) => {
    void (async () => {
      const bodyText = await readBody(req);
      let body: unknown;
      try {
        body = bodyText.length > 0 ? JSON.parse(bodyText) : null;
      } catch {
        body = null;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const path = (req.url ?? '/').split('?')[0] as string;
      requests.push({ method: req.method ?? 'GET', path, headers, bodyText, body, receivedAt: Date.now() });
      if (req.method === 'GET' && path === '/v1/models') {
        if (!Array.isArray(models)) {
          res.writeHead((models as { status: number }).status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'scripted', type: 'test' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: (models as readonly string[]).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'test' })) }));
        return;
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        if (body === null || typeof body !== 'object') {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error' } }));
          return;
        }
        await chat(req, res, body as Record<string, unknown>);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'test' } }));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    enqueue: (...behaviours) => queue.push(...behaviours),
    setDefault: (b) => (fallback = b),
    setModels: (m) => (models = m),
    close: async () => {
      closing = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
