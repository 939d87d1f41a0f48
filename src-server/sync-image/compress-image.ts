import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

/** A compressed copy of an image, served to desktops that ask for it. */
export interface CompressedImage {
  file: string;
  bytes: number;
  /** Of the compressed file: what a desktop that takes zstd checks. */
  sha256: string;
}

/**
 * zstd level 3: a cache image (JSON text in SQLite pages) shrinks about nine
 * times in about a third of a second per 100 MB, and inflates faster than
 * gzip. Runtimes without zstd (Node before 22.15) serve the plain file.
 */
const LEVEL = 3;

/** Writes `file`.zst beside the image (0600, like the image), in libuv's thread pool, hashing it on the way; null where zstd is missing. */
export async function zstdCopyOf(file: string): Promise<CompressedImage | null> {
  if (typeof zlib.createZstdCompress !== 'function') return null;
  const compressed = `${file}.zst`;
  const hash = createHash('sha256');
  await pipeline(
    createReadStream(file),
    zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: LEVEL } }),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
    createWriteStream(compressed, { mode: 0o600 }),
  );
  return { file: compressed, bytes: statSync(compressed).size, sha256: hash.digest('hex') };
}

/** Whether an Accept-Encoding header takes zstd (and does not refuse it with q=0). */
export function acceptsZstd(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';').map((p) => p.trim());
    return coding === 'zstd' && !params.some((p) => /^q=0(\.0{0,3})?$/.test(p));
  });
}
