import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ServerRequestError } from './server-http-client';
import type { ServerTrust } from './server-trust';

const errorBodySchema = z.object({ error: z.string(), message: z.string() });

/** The response of a GET as a byte stream: fetch over http, node:https with the server's trust settings over https. */
async function open(url: URL, token: string, timeoutMs: number, trust: ServerTrust): Promise<{ status: number; body: Readable }> {
  const headers = { authorization: `Bearer ${token}` };
  if (url.protocol !== 'https:') {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : Readable.from([]) };
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, ...(trust.ca ? { ca: trust.ca } : {}), timeout: timeoutMs }, (response: IncomingMessage) => {
      resolve({ status: response.statusCode ?? 0, body: response });
    });
    req.on('timeout', () => req.destroy(new Error('The operation has timed out')));
    req.on('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
    req.end();
  });
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Streams a download into `file`: written to `file.part` as it arrives and
 * renamed when complete, so a cut connection leaves no half file behind under
 * the real name. A refusal comes back as ServerRequestError, as other calls do.
 */
export async function downloadTo(url: URL, token: string, file: string, timeoutMs: number, trust: ServerTrust): Promise<{ bytes: number }> {
  const { status, body } = await open(url, token, timeoutMs, trust);
  if (status < 200 || status >= 300) {
    const parsed = errorBodySchema.safeParse(await text(body).then((t) => JSON.parse(t) as unknown).catch(() => null));
    throw new ServerRequestError(status, parsed.success ? parsed.data.error : 'http_error', parsed.success ? parsed.data.message : `HTTP ${status}`);
  }
  const part = `${file}.part`;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(part, { mode: 0o600 }));
    await rename(part, file);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  return { bytes };
}
