import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeyProvider, type CacheKeyProvider } from '../services/key-provider';

/** The part of Electron's `safeStorage` this provider uses; injected so it runs under plain Node in tests. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store Chromium picked ('basic_text' means none). */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageKeyOptions {
  /** Electron's userData directory. */
  dir: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  warn?: (message: string) => void;
}

export const ENCRYPTED_KEY_FILE = 'cache-key.enc';
export const PLAIN_KEY_FILE = 'cache-key.txt';
const KEY_PATTERN = /^[0-9a-f]{64}$/;

function newKey(): string {
  return randomBytes(32).toString('hex');
}

function writePrivate(file: string, data: string | Buffer): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, data, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/**
 * The cache key, kept by the OS: a random 32-byte key encrypted with
 * `safeStorage` (Keychain, DPAPI, libsecret/kwallet) and stored in userData.
 *
 * - If the stored key cannot be decrypted (keychain lost or reset), a new key
 *   is made; the old cache then fails to open and the backend rebuilds it from
 *   the server. The undecryptable key file is set aside, not deleted, in case
 *   the keychain comes back and the old cache still holds unsent wrap-ups.
 * - On macOS and Windows, without OS encryption the key is not stored at all:
 *   `cacheKey()` rejects, and login reports why.
 * - On Linux without a keyring (no libsecret/kwallet; Chromium then falls back
 *   to 'basic_text', a hard-coded password), the key goes into a 0600 file in
 *   userData instead, as browser mode does, and a warning is logged: the cache
 *   is then only as safe as the user's home directory.
 */
export class SafeStorageKeyProvider implements CacheKeyProvider {
  private key: string | null = null;
  private warned = false;
  private readonly encryptedFile: string;
  private readonly plainFile: string;
  private readonly platform: NodeJS.Platform;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: SafeStorageKeyOptions) {
    this.encryptedFile = join(options.dir, ENCRYPTED_KEY_FILE);
    this.plainFile = join(options.dir, PLAIN_KEY_FILE);
    this.platform = options.platform ?? process.platform;
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  async cacheKey(): Promise<string> {
    if (this.key !== null) return this.key;
    this.key = this.useKeychain() ? this.keychainKey() : await this.fileFallback().cacheKey();
    return this.key;
  }

  async resetKey(): Promise<void> {
    this.key = null;
    if (this.useKeychain()) {
      this.key = this.storeInKeychain(newKey());
    } else {
      await this.fileFallback().resetKey();
    }
  }

  /** True to use safeStorage, false for the Linux key file; throws where neither is acceptable. */
  private useKeychain(): boolean {
    const { safeStorage } = this.options;
    const available = safeStorage.isEncryptionAvailable();
    if (this.platform !== 'linux') {
      if (!available) throw new Error('OS encryption (safeStorage) is not available, so Holdfast will not store the local cache key.');
      return true;
    }
    const backend = safeStorage.getSelectedStorageBackend?.();
    if (available && backend !== 'basic_text') return true;
    if (!this.warned) {
      this.warned = true;
      this.warn(`holdfast: no OS keyring is available (${available ? `backend ${backend}` : 'encryption unavailable'}); the cache key is kept in a 0600 file at ${this.plainFile}.`);
    }
    return false;
  }

  private fileFallback(): FileKeyProvider {
    return new FileKeyProvider(this.plainFile);
  }

  private keychainKey(): string {
    if (existsSync(this.encryptedFile)) {
      try {
        const key = this.options.safeStorage.decryptString(readFileSync(this.encryptedFile));
        if (KEY_PATTERN.test(key)) return key;
        throw new Error('the decrypted key has the wrong form');
      } catch (error) {
        const aside = `${this.encryptedFile}.unreadable-${Date.now()}`;
        renameSync(this.encryptedFile, aside);
        this.warn(`holdfast: the cache key could not be decrypted (${error instanceof Error ? error.message : String(error)}); a new key is made and the cache is rebuilt from the server. The old key file is at ${aside}.`);
        return this.storeInKeychain(newKey());
      }
    }
    // A key kept in the Linux fallback file moves into the keyring once one appears.
    const previous = existsSync(this.plainFile) ? readFileSync(this.plainFile, 'utf8').trim() : '';
    const key = this.storeInKeychain(KEY_PATTERN.test(previous) ? previous : newKey());
    if (previous !== '') rmSync(this.plainFile, { force: true });
    return key;
  }

  private storeInKeychain(key: string): string {
    mkdirSync(this.options.dir, { recursive: true });
    writePrivate(this.encryptedFile, this.options.safeStorage.encryptString(key));
    return key;
  }
}
