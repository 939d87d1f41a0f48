import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir } from '../services/cache/private-files';
import { FileKeyProvider, type CacheKeyProvider } from '../services/key-provider';
import { writePrivate } from '../services/cache/private-files';

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
  /** How often the keychain is asked before giving up (default 3), and the wait between tries (default 500 ms). */
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * A key is stored, but the keychain did not give it back (locked, not yet
 * started, a D-Bus hiccup, or reset). Holdfast then refuses to open the cache
 * rather than make a new key: a new key would strand the cache and the
 * wrap-ups in its outbox not yet sent.
 */
export class KeychainUnavailableError extends Error {
  constructor(readonly keyFile: string, reason: string) {
    super(
      `The OS keychain did not give back the local cache key (${reason}). Holdfast will not make a new key, because the cache may hold work not yet sent that only this key opens. `
      + 'Unlock or start the keychain (on Linux, the login keyring: GNOME Keyring or KWallet) and sign in again. '
      + `If the keychain was reset for good, move ${keyFile} aside and sign in: a new key is made and the cache is rebuilt from the server, without its unsent work.`,
    );
    this.name = 'KeychainUnavailableError';
  }
}

/** One failed try at the stored key; retried, then reported as KeychainUnavailableError. */
class KeychainHiccup extends Error {}

export const ENCRYPTED_KEY_FILE = 'cache-key.enc';
export const PLAIN_KEY_FILE = 'cache-key.txt';
const KEY_PATTERN = /^[0-9a-f]{64}$/;

function newKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The cache key, kept by the OS: a random 32-byte key encrypted with
 * `safeStorage` (Keychain, DPAPI, libsecret/kwallet) and stored in userData.
 *
 * - "No key stored yet" (no key file) is the only case a new key is made.
 * - A stored key the keychain does not give back (decryption throws or gives
 *   nonsense, or encryption is unavailable while a key is stored) is retried
 *   a few times, then `cacheKey()` rejects with KeychainUnavailableError and
 *   the key file stays as it is: a transient keychain failure must never
 *   rotate the key and strand the cache's unsent wrap-ups.
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
    const attempts = Math.max(1, this.options.attempts ?? 3);
    let reason = 'unknown';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        this.key = this.useKeychain() ? this.keychainKey() : await this.fileFallback().cacheKey();
        return this.key;
      } catch (error) {
        if (!(error instanceof KeychainHiccup)) throw error;
        reason = error.message;
        if (attempt < attempts) await new Promise((done) => setTimeout(done, this.options.retryDelayMs ?? 500));
      }
    }
    throw new KeychainUnavailableError(this.encryptedFile, reason);
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
    const stored = existsSync(this.encryptedFile);
    let available: boolean;
    let backend: string | undefined;
    try {
      available = safeStorage.isEncryptionAvailable();
      backend = this.platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
    } catch (error) {
      throw new KeychainHiccup(`the keychain could not be asked: ${error instanceof Error ? error.message : String(error)}`);
    }
    const usable = available && (this.platform !== 'linux' || backend !== 'basic_text');
    // A key is in the keychain, but the keychain is not there right now: wait for it, never fall back to a new key.
    if (!usable && stored) throw new KeychainHiccup(available ? `the keyring backend is ${String(backend)}` : 'OS encryption is unavailable');
    if (this.platform !== 'linux') {
      if (!available) throw new Error('OS encryption (safeStorage) is not available, so Holdfast will not store the local cache key.');
      return true;
    }
    if (usable) return true;
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
      let key: string;
      try {
        key = this.options.safeStorage.decryptString(readFileSync(this.encryptedFile));
      } catch (error) {
        throw new KeychainHiccup(`decryption failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!KEY_PATTERN.test(key)) throw new KeychainHiccup('the decrypted key has the wrong form (another keychain?)');
      return key;
    }
    // A key kept in the Linux fallback file moves into the keyring once one appears.
    const previous = existsSync(this.plainFile) ? readFileSync(this.plainFile, 'utf8').trim() : '';
    const key = this.storeInKeychain(KEY_PATTERN.test(previous) ? previous : newKey());
    if (previous !== '') rmSync(this.plainFile, { force: true });
    return key;
  }

  private storeInKeychain(key: string): string {
    privateDir(this.options.dir);
    writePrivate(this.encryptedFile, this.options.safeStorage.encryptString(key));
    return key;
  }
}
