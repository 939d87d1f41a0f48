import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENCRYPTED_KEY_FILE, PLAIN_KEY_FILE, SafeStorageKeyProvider, type SafeStorageLike } from '../../../src-main/app/safe-storage-keys';
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
  new SafeStorageKeyProvider({ dir: temp.path, safeStorage, platform, warn: (message) => warnings.push(message) });

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

  it('makes a new key when the stored one cannot be decrypted, and sets the old file aside', async () => {
    const first = await provider(fakeSafeStorage(0x11)).cacheKey();
    writeFileSync(join(temp.path, ENCRYPTED_KEY_FILE), 'garbage from a lost keychain');
    const second = await provider(fakeSafeStorage(0x11)).cacheKey();
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
    expect(readdirSync(temp.path).some((name) => name.startsWith(`${ENCRYPTED_KEY_FILE}.unreadable-`))).toBe(true);
    expect(warnings.join('\n')).toMatch(/could not be decrypted/);
    expect(await provider(fakeSafeStorage(0x11)).cacheKey()).toBe(second);
  });

  it('makes a new key when a different keychain decrypts to nonsense', async () => {
    const first = await provider(fakeSafeStorage(0x11)).cacheKey();
    const second = await provider(fakeSafeStorage(0x77)).cacheKey();
    expect(second).not.toBe(first);
    expect(second).toMatch(/^[0-9a-f]{64}$/);
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
