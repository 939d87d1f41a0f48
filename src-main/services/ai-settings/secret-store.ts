import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir, writePrivate } from '../cache/private-files';

/**
 * Where secrets (the LLM endpoint's API key) are kept. The backend reads a
 * secret only to hand it to the HTTP client; it is never returned to the UI,
 * logged, or written to the cache.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** The part of Electron's `safeStorage` used here; injected so this module stays host-agnostic. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

function checkName(name: string): string {
  if (!NAME.test(name) || name.includes('..')) throw new Error(`Invalid secret name ${JSON.stringify(name)}`);
  return name;
}

/** Written to a temporary file first, so a crash never leaves half a secret; readable by this user only. */
/** Browser mode (and Linux without a keyring): one 0600 file per secret, next to the cache key. */
export class FileSecretStore implements SecretStore {
  constructor(private readonly dir: string) {}

  private file(name: string): string {
    return join(this.dir, `${checkName(name)}.secret`);
  }

  async get(name: string): Promise<string | null> {
    const file = this.file(name);
    if (!existsSync(file)) return null;
    // A secret file others can read (copied, restored from a backup) is closed up before it is used.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const value = readFileSync(file, 'utf8');
    return value.length > 0 ? value : null;
  }

  async set(name: string, value: string): Promise<void> {
    privateDir(this.dir);
    writePrivate(this.file(name), value);
  }

  async delete(name: string): Promise<void> {
    rmSync(this.file(name), { force: true });
  }
}

/**
 * Electron: each secret encrypted with `safeStorage` (Keychain, DPAPI,
 * libsecret/kwallet) in a 0600 file in userData. On Linux without a keyring
 * (Chromium's 'basic_text') it falls back to the 0600 plain file, as the
 * cache key does, and says so once; on macOS and Windows without OS
 * encryption it refuses to store the key at all.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly fallback: FileSecretStore;
  private warned = false;

  constructor(private readonly options: { dir: string; safeStorage: SafeStorageLike; platform?: NodeJS.Platform; warn?: (message: string) => void }) {
    this.fallback = new FileSecretStore(options.dir);
  }

  private encrypted(): boolean {
    const { safeStorage } = this.options;
    const available = safeStorage.isEncryptionAvailable();
    const platform = this.options.platform ?? process.platform;
    const usable = available && (platform !== 'linux' || safeStorage.getSelectedStorageBackend?.() !== 'basic_text');
    if (!usable && platform !== 'linux') throw new Error('OS encryption (safeStorage) is not available, so Holdfast will not store the API key.');
    if (!usable && !this.warned) {
      this.warned = true;
      (this.options.warn ?? console.warn)('holdfast: no OS keyring is available; the AI API key is kept in a 0600 file in the app data folder.');
    }
    return usable;
  }

  private file(name: string): string {
    return join(this.options.dir, `${checkName(name)}.secret.enc`);
  }

  async get(name: string): Promise<string | null> {
    const file = this.file(name);
    if (this.encrypted() && existsSync(file)) {
      try {
        return this.options.safeStorage.decryptString(readFileSync(file));
      } catch {
        // The keychain was reset: the key is gone and must be entered again.
        rmSync(file, { force: true });
        return null;
      }
    }
    return this.fallback.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    if (!this.encrypted()) {
      await this.fallback.set(name, value);
      return;
    }
    privateDir(this.options.dir);
    writePrivate(this.file(name), this.options.safeStorage.encryptString(value));
    await this.fallback.delete(name);
  }

  async delete(name: string): Promise<void> {
    rmSync(this.file(name), { force: true });
    await this.fallback.delete(name);
  }
}
