import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENCRYPTED_KEY_FILE, KeychainUnavailableError, PLAIN_KEY_FILE, SafeStorageKeyProvider, type SafeStorageLike } from '../../../src-main/app/safe-storage-keys';
import { makeTempDir } from '../../support/temp-dir';

/** A stand-in for Electron's safeStorage: XOR with a per-"keychain" secret, so a different keychain cannot decrypt. */
function fakeSafeStorage(secret: number, options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { encrypted: number } {
  const storage = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString(plain: string): Buffer {
      storage.encrypted += 1;
      return Buffer.from(`v1:${Buffer.from(Buffer.from(plain).map((b) => b ^ secret)).toString('base64')}`);
    },
    decryptString(encrypted: Buffer): string {
      const text = encrypted.toString();
      if (!text.startsWith('v1:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(Buffer.from(text.slice(3), 'base64').map((b) => b ^ secret)).toString();
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
  return storage;
}

let temp: ReturnType<typeof makeTempDir>;
let warnings: string[];
beforeEach(() => {
  temp = makeTempDir('safe-storage');
  warnings = [];
});
afterEach(() => temp.remove());

const provider = (safeStorage: SafeStorageLike, platform: NodeJS.Platform = 'darwin') =>
  new SafeStorageKeyProvider({ dir: temp.path, safeStorage, platform, warn: (message) => warnings.push(message), retryDelayMs: 1 });

/** A keychain that fails its next `failures` calls of one kind (as a locked keychain or a D-Bus hiccup does), then works. */
function flaky(storage: SafeStorageLike, failures: number, what: 'decrypt' | 'available'): SafeStorageLike & { calls: number } {
  const wrapped = {
    ...storage,
    calls: 0,
    decryptString(encrypted: Buffer): string {
      if (what === 'decrypt' && wrapped.calls++ < failures) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return storage.decryptString(encrypted);
    },
    isEncryptionAvailable(): boolean {
      if (what === 'available' && wrapped.calls++ < failures) return false;
      return storage.isEncryptionAvailable();
    },
  };
  return wrapped;
}

describe('SafeStorageKeyProvider', () => {
  it('makes a random 32-byte key, stores it only encrypted, and returns it again', async () => {
    const storage = fakeSafeStorage(0x5a);
    const key = await provider(storage).cacheKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const onDisk = readFileSync(join(temp.path, ENCRYPTED_KEY_FILE));
    expect(onDisk.toString()).not.toContain(key);
    expect(storage.decryptString(onDisk)).toBe(key);
    expect(existsSync(join(temp.path, PLAIN_KEY_FILE))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(join(temp.path, ENCRYPTED_KEY_FILE)).mode & 0o777).toBe(0o600);

    // A new process (a new provider) reads the same key back.
    expect(await provider(storage).cacheKey()).toBe(key);
    expect(await provider(fakeSafeStorage(0x5a)).cacheKey()).toBe(key);
  });

  it('rides out a keychain hiccup: retries and returns the same key, never a new one', async () => {
    const first = await provider(fakeSafeStorage(0x11)).cacheKey();
    const hiccup = flaky(fakeSafeStorage(0x11), 2, 'decrypt');
    expect(await provider(hiccup).cacheKey()).toBe(first);
    expect(hiccup.calls).toBe(3);
  });

  it('refuses to open, and keeps the key file as it is, when the keychain keeps failing', async () => {
    const first = await provider(fakeSafeStorage(0x11)).cacheKey();
    const file = join(temp.path, ENCRYPTED_KEY_FILE);
    const stored = readFileSync(file);
    const down = flaky(fakeSafeStorage(0x11), 100, 'decrypt');
    const refused = provider(down).cacheKey();
    await expect(refused).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(refused).rejects.toThrow(/will not make a new key.*Unlock or start the keychain/);
    expect(down.calls).toBe(3);
    expect(readFileSync(file)).toEqual(stored);
    expect(readdirSync(temp.path)).toEqual([ENCRYPTED_KEY_FILE]);
    // When the keychain is back, the same key opens the same cache.
    expect(await provider(fakeSafeStorage(0x11)).cacheKey()).toBe(first);
  });

  it('refuses rather than rotate when a different keychain decrypts the key to nonsense', async () => {
    const first = await provider(fakeSafeStorage(0x11)).cacheKey();
    await expect(provider(fakeSafeStorage(0x77)).cacheKey()).rejects.toThrow(KeychainUnavailableError);
    expect(await provider(fakeSafeStorage(0x11)).cacheKey()).toBe(first);
  });

  it.each(['darwin', 'linux'] as const)('on %s, a keychain unavailable for a moment with a key stored is waited for, then refused, never replaced', async (platform) => {
    const first = await provider(fakeSafeStorage(0x66), platform).cacheKey();
    expect(await provider(flaky(fakeSafeStorage(0x66), 1, 'available'), platform).cacheKey()).toBe(first);
    await expect(provider(fakeSafeStorage(0x66, { available: false }), platform).cacheKey()).rejects.toThrow(KeychainUnavailableError);
    await expect(provider(fakeSafeStorage(0x66, { backend: 'basic_text' }), 'linux').cacheKey()).rejects.toThrow(KeychainUnavailableError);
    // No plain fallback key was made over the stored one.
    expect(existsSync(join(temp.path, PLAIN_KEY_FILE))).toBe(false);
    expect(await provider(fakeSafeStorage(0x66), platform).cacheKey()).toBe(first);
  });

  it('resetKey replaces the key', async () => {
    const keys = provider(fakeSafeStorage(0x22));
    const before = await keys.cacheKey();
    await keys.resetKey();
    const after = await keys.cacheKey();
    expect(after).not.toBe(before);
    expect(await provider(fakeSafeStorage(0x22)).cacheKey()).toBe(after);
  });

  it.each(['darwin', 'win32'] as const)('on %s refuses to store a key without OS encryption', async (platform) => {
    const storage = fakeSafeStorage(0x33, { available: false });
    await expect(provider(storage, platform).cacheKey()).rejects.toThrow(/not available/);
    expect(readdirSync(temp.path)).toEqual([]);
    expect(storage.encrypted).toBe(0);
  });

  it.each([
    ['no encryption', { available: false }],
    ['the basic_text backend', { available: true, backend: 'basic_text' }],
  ] as const)('on Linux with %s falls back to a 0600 key file, with a warning', async (_label, options) => {
    const storage = fakeSafeStorage(0x44, options);
    const keys = provider(storage, 'linux');
    const key = await keys.cacheKey();
    const file = join(temp.path, PLAIN_KEY_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(join(temp.path, ENCRYPTED_KEY_FILE))).toBe(false);
    expect(storage.encrypted).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no OS keyring/);
    expect(await provider(storage, 'linux').cacheKey()).toBe(key);
  });

  it('on Linux, moves a fallback key into the keyring once one is available', async () => {
    const key = await provider(fakeSafeStorage(0x55, { backend: 'basic_text' }), 'linux').cacheKey();
    const withKeyring = fakeSafeStorage(0x55, { backend: 'kwallet6' });
    expect(await provider(withKeyring, 'linux').cacheKey()).toBe(key);
    expect(existsSync(join(temp.path, PLAIN_KEY_FILE))).toBe(false);
    expect(withKeyring.decryptString(readFileSync(join(temp.path, ENCRYPTED_KEY_FILE)))).toBe(key);
  });
});
