import { describe, expect, it } from 'vitest';
import { acceptsZstd } from '../../../src-server/sync-image/compress-image';

describe('Accept-Encoding for the cold-sync image', () => {
  it('takes zstd when it is listed, with or without a weight', () => {
    expect(acceptsZstd('zstd')).toBe(true);
    expect(acceptsZstd('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsZstd('ZSTD;q=0.5')).toBe(true);
  });
  it('sends the plain file otherwise, or when zstd is refused with q=0', () => {
    expect(acceptsZstd(undefined)).toBe(false);
    expect(acceptsZstd('')).toBe(false);
    expect(acceptsZstd('gzip, br')).toBe(false);
    expect(acceptsZstd('identity')).toBe(false);
    expect(acceptsZstd('zstd;q=0')).toBe(false);
    expect(acceptsZstd('zstd; q=0.000')).toBe(false);
    expect(acceptsZstd('xzstd')).toBe(false);
  });
});
