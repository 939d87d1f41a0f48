import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServerTrust } from './server-trust';

export class DownloadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * Streams an authenticated GET into `dest` (created 0600), hashing the bytes
 * as they pass, so a file of hundreds of MB never sits in memory and is
 * read once. Over https the server's certificate is checked with the same
 * trust as every other request (Node's fetch cannot take extra CAs).
 * `idleTimeoutMs` bounds a stalled transfer, not a long one.
 */
export async function downloadToFile(
  url: URL,
  token: string,
  dest: string,
  trust: ServerTrust,
  idleTimeoutMs = 30_000,
): Promise<{ sha256: string; bytes: number }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const options = { method: 'GET', headers: { authorization: `Bearer ${token}` }, ...(url.protocol === 'https:' && trust.ca ? { ca: trust.ca } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, resolve);
    req.setTimeout(idleTimeoutMs, () => req.destroy(new Error('The operation has timed out')));
    req.on('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
    req.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new DownloadError(response.statusCode ?? 0, `GET ${url.pathname}: HTTP ${response.statusCode ?? 0}`);
  }
  response.setTimeout(idleTimeoutMs, () => response.destroy(new Error('The download stalled')));
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(response, tap, createWriteStream(dest, { mode: 0o600 }));
  return { sha256: hash.digest('hex'), bytes };
}
