import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { ServerTrust } from './server-trust';

export class DownloadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * zstd where this runtime has it (Node 22.15+; an Electron on an older Node
 * asks for the plain bytes). A SQLite image shrinks about nine times, and
 * zstd inflates several times faster than gzip, in libuv's thread pool.
 */
const ZSTD_AVAILABLE = typeof zlib.createZstdDecompress === 'function';

/**
 * Chunks of 1 MB through inflate, hash and write. At the streams' defaults
 * (16 KB out of zstd, 16 KB to the file) a 530 MB image took 3.7 s of CPU
 * to inflate, hash and write; at 1 MB, 1.3 s.
 */
const CHUNK_BYTES = 1 << 20;

export interface DownloadedFile {
  sha256: string;
  bytes: number;
  encoding: 'zstd' | 'identity';
  /** Which bytes `sha256` is of: the compressed ones as they travelled, or the file as written. */
  hashed: 'zstd' | 'identity';
}

/**
 * Streams an authenticated GET into `dest` (created 0600), hashing the bytes
 * as they pass, so a file of hundreds of MB never sits in memory and is
 * read once. Over https the server's certificate is checked with the same
 * trust as every other request (Node's fetch cannot take extra CAs).
 * `idleTimeoutMs` bounds a stalled transfer, not a long one. With
 * `acceptZstd`, a server may send the body zstd-compressed; the byte count
 * is then of the inflated file, and the hash too unless `hashPacked`: then
 * it is of the compressed bytes as they arrived (`hashed: 'zstd'`), which
 * costs a ninth of the hashing for the same proof, as zstd inflates the
 * same bytes to the same file.
 */
export async function downloadToFile(
  url: URL,
  token: string,
  dest: string,
  trust: ServerTrust,
  { idleTimeoutMs = 30_000, acceptZstd = false, hashPacked = false }: { idleTimeoutMs?: number; acceptZstd?: boolean; hashPacked?: boolean } = {},
): Promise<DownloadedFile> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, 'accept-encoding': acceptZstd && ZSTD_AVAILABLE ? 'zstd' : 'identity' };
    const options = { method: 'GET', headers, ...(url.protocol === 'https:' && trust.ca ? { ca: trust.ca } : {}) };
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
  const through = (onChunk: (chunk: Buffer) => void): Transform => new Transform({
    highWaterMark: CHUNK_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      onChunk(chunk);
      done(null, chunk);
    },
  });
  const hashAndCount = (): Transform => through((chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const toFile = (): Writable => createWriteStream(dest, { mode: 0o600, highWaterMark: CHUNK_BYTES });
  const encoding = response.headers['content-encoding'] ?? 'identity';
  if (encoding === 'zstd' && ZSTD_AVAILABLE) {
    const inflate = zlib.createZstdDecompress({ chunkSize: CHUNK_BYTES });
    if (hashPacked) {
      await pipeline(response, through((chunk) => hash.update(chunk)), inflate, through((chunk) => { bytes += chunk.length; }), toFile());
      return { sha256: hash.digest('hex'), bytes, encoding: 'zstd', hashed: 'zstd' };
    }
    await pipeline(response, inflate, hashAndCount(), toFile());
    return { sha256: hash.digest('hex'), bytes, encoding: 'zstd', hashed: 'identity' };
  }
  if (encoding !== 'identity') {
    response.destroy();
    throw new DownloadError(200, `GET ${url.pathname}: the server sent it encoded as "${encoding}", which was not asked for`);
  }
  await pipeline(response, hashAndCount(), toFile());
  return { sha256: hash.digest('hex'), bytes, encoding: 'identity', hashed: 'identity' };
}
