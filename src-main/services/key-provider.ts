import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { privateDir } from './cache/private-files';

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
    if (existsSync(this.file)) {
      // A key file others can read (copied, restored from a backup, made by hand) is closed up before it is used.
      if ((statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600);
      return readFileSync(this.file, 'utf8').trim();
    }
    return this.writeNewKey();
  }

  async resetKey(): Promise<void> {
    this.writeNewKey();
  }

  private writeNewKey(): string {
    privateDir(dirname(this.file));
    const key = randomBytes(32).toString('hex');
    // `mode` applies only when the file is created: one already there is closed up before the new key goes in.
    if (existsSync(this.file)) chmodSync(this.file, 0o600);
    writeFileSync(this.file, key, { mode: 0o600 });
    return key;
  }
}
