import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the cache's encryption key comes from: the OS keychain in Electron, a key file in browser mode. */
export interface CacheKeyProvider {
  cacheKey(): Promise<string>;
  /** Drops the key (after it proved wrong or was lost) so a fresh one is made. */
  resetKey(): Promise<void>;
}

/** Browser mode: a random key in a file only the user can read (0600). */
export class FileKeyProvider implements CacheKeyProvider {
  constructor(private readonly file: string) {}

  async cacheKey(): Promise<string> {
    if (existsSync(this.file)) return readFileSync(this.file, 'utf8').trim();
    mkdirSync(dirname(this.file), { recursive: true });
    const key = randomBytes(32).toString('hex');
    writeFileSync(this.file, key, { mode: 0o600 });
    chmodSync(this.file, 0o600);
    return key;
  }

  async resetKey(): Promise<void> {
    const key = randomBytes(32).toString('hex');
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, key, { mode: 0o600 });
  }
}
