import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeStorageKeyProvider, type SafeStorageLike } from '../../../src-main/app/safe-storage-keys';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { signInAndSync } from '../../support/desktops';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

/*
 * The data files of both sides are their owner's alone: on the desktop the
 * cache (and its -wal and -shm), the key files and the secrets 0600, their
 * folders 0700; on the server routing.db (-wal, -shm) and the generated
 * secrets 0600, the data folder 0700. Each folder is made loose first (as an
 * older version, a copy or a permissive umask would leave it) to show it is
 * closed up.
 */

const mode = (path: string): number => statSync(path).mode & 0o777;
const temp = makeTempDir('file-modes');
const previousUmask = process.umask(0o022);
let server: RunningServer;
let removeServer: () => void;
const serverDir = join(temp.path, 'server');

beforeAll(async () => {
  mkdirSync(serverDir, { mode: 0o755 });
  chmodSync(serverDir, 0o755);
  // A secret an older version (or a restore) left readable by others.
  writeFileSync(join(serverDir, 'token-secret'), 'k'.repeat(43), { mode: 0o644 });
  chmodSync(join(serverDir, 'token-secret'), 0o644);
  ({ server, remove: removeServer } = await startServer({ dataDir: serverDir, demo: true, demoCustomers: 40 }));
}, 120_000);
afterAll(async () => {
  await server?.close();
  removeServer?.();
  process.umask(previousUmask);
  temp.remove();
});

describe.skipIf(process.platform === 'win32')('file permissions', () => {
  it('the server: data folder 0700, routing.db with its -wal and -shm 0600, secrets 0600', async () => {
    expect(mode(serverDir)).toBe(0o700);
    for (const name of ['routing.db', 'routing.db-wal', 'routing.db-shm', 'token-secret']) {
      expect(existsSync(join(serverDir, name)), name).toBe(true);
      expect(mode(join(serverDir, name)), name).toBe(0o600);
    }
  });

  it('the desktop in browser mode: cache, -wal, -shm, key and AI key 0600, folders 0700', async () => {
    const dataDir = join(temp.path, 'desktop');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const backend: DesktopBackend = createDesktopBackend({ serverUrl: server.url, dataDir, keys: new FileKeyProvider(join(dataDir, 'cache.key')) });
    try {
      await signInAndSync(backend, 'ava');
      const saved = await backend.invoke('ai.settings.save', { baseUrl: 'https://models.example/v1', model: 'm', apiKey: 'sk-permissions-test' });
      expect(saved.ok).toBe(true);
      const userDir = join(dataDir, 'users', 'ava');
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(userDir)).toBe(0o700);
      const files = readdirSync(userDir);
      expect(files).toEqual(expect.arrayContaining(['cache.db', 'cache.db-wal', 'cache.db-shm']));
      for (const name of files) expect(mode(join(userDir, name)), name).toBe(0o600);
      expect(mode(join(dataDir, 'cache.key'))).toBe(0o600);
      const secrets = readdirSync(dataDir).filter((name) => name.endsWith('.secret'));
      expect(secrets).toHaveLength(1);
      expect(mode(join(dataDir, secrets[0] as string))).toBe(0o600);
    } finally {
      await backend.close();
    }
  });

  it('the desktop in Electron: the keychain-encrypted key file 0600 in a 0700 userData', async () => {
    const userData = join(temp.path, 'userData');
    mkdirSync(userData, { mode: 0o755 });
    chmodSync(userData, 0o755);
    const safeStorage: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (plain) => Buffer.from(`enc:${plain}`),
      decryptString: (encrypted) => encrypted.toString().slice(4),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    };
    await new SafeStorageKeyProvider({ dir: userData, safeStorage, platform: 'linux' }).cacheKey();
    expect(mode(userData)).toBe(0o700);
    expect(mode(join(userData, 'cache-key.enc'))).toBe(0o600);
  });
});
