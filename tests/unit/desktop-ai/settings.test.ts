import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aiSettingsInputSchema } from '@shared/contract/desktop-api';
import { knownNationalIdCountries } from '@shared/redaction/config';
import { AiSettingsStore, apiKeySecretName, FileSecretStore, SafeStorageSecretStore, type SafeStorageLike } from '../../../src-main/services/ai-settings/index';
import { unlockCache } from '../../../src-main/services/cache/cache-cipher';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import { makeTempDir } from '../../support/temp-dir';

const dirs: { remove(): void }[] = [];
function tempDir(): string {
  const dir = makeTempDir('ai-settings');
  dirs.push(dir);
  return dir.path;
}
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function issues(input: unknown): string[] {
  const parsed = aiSettingsInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('AI settings validation', () => {
  it('accepts http(s) endpoints, trimmed, and the empty URL for on-device only', () => {
    expect(aiSettingsInputSchema.parse({ baseUrl: '  https://api.openai.com/v1 ', model: ' gpt-4o-mini ' })).toEqual({
      baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', firstTokenTimeoutMs: 4_000,
    });
    expect(issues({ baseUrl: 'http://localhost:11434/v1', model: 'llama3' })).toEqual([]);
    expect(issues({ baseUrl: '', model: '' })).toEqual([]);
  });

  it('refuses other schemes, non-URLs and credentials in the URL, naming the field', () => {
    for (const baseUrl of ['ftp://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'example.com/v1', 'not a url']) {
      expect(issues({ baseUrl, model: 'm' })[0]).toMatch(/^baseUrl: must be an http\(s\) URL/);
    }
    expect(issues({ baseUrl: 'https://me:sk-secret@api.example.com/v1', model: 'm' })[0]).toMatch(/^baseUrl: must not hold a user name or password/);
  });

  it('accepts plain http only to this machine: the key and the call data would cross the network in the clear', () => {
    for (const baseUrl of ['http://localhost:11434/v1', 'http://127.0.0.1/v1', 'http://127.3.4.5:8080', 'http://[::1]:11434/v1', 'HTTP://LOCALHOST/v1', 'https://models.example/v1']) {
      expect(issues({ baseUrl, model: 'm' }), baseUrl).toEqual([]);
    }
    for (const baseUrl of ['http://models.example/v1', 'http://10.0.0.7:11434/v1', 'http://localhost.evil.example/v1', 'http://127.0.0.1.evil.example/v1', 'http://[::2]/v1', 'http://0.0.0.0:11434']) {
      expect(issues({ baseUrl, model: 'm' })[0], baseUrl).toMatch(/^baseUrl: http:\/\/ is not encrypted, so it is allowed only to this machine/);
    }
  });

  it('needs a model with an endpoint, a sane timeout, and a printable key', () => {
    expect(issues({ baseUrl: 'https://api.example.com/v1', model: '  ' })).toEqual(['model: a model name is required with an endpoint']);
    expect(issues({ baseUrl: '', model: '', firstTokenTimeoutMs: 100 })[0]).toMatch(/^firstTokenTimeoutMs/);
    expect(issues({ baseUrl: '', model: '', firstTokenTimeoutMs: 120_000 })[0]).toMatch(/^firstTokenTimeoutMs/);
    expect(issues({ baseUrl: '', model: '', firstTokenTimeoutMs: 1.5 })[0]).toMatch(/^firstTokenTimeoutMs/);
    expect(issues({ baseUrl: '', model: '', apiKey: 'sk with spaces' })[0]).toMatch(/^apiKey/);
    expect(issues({ baseUrl: '', model: '', apiKey: 'sk-1', clearKey: true })[0]).toMatch(/^clearKey/);
    expect(issues({ baseUrl: '', model: '', extra: 1 })).not.toEqual([]);
  });
});

describe('AiSettingsStore', () => {
  const KEY = 'k'.repeat(64);
  function store(dir = tempDir()) {
    const cache = new LocalCache(join(dir, 'cache.db'), KEY);
    const secrets = new FileSecretStore(dir);
    return { settings: new AiSettingsStore(cache, secrets, apiKeySecretName('ava')), cache, secrets, dir };
  }

  it('starts on-device only and keeps the key out of the view', async () => {
    const { settings, cache, dir } = store();
    const redaction = { redactionRegion: 'US', nationalIdCountries: knownNationalIdCountries(), nationalIdCountriesAvailable: knownNationalIdCountries() };
    expect(await settings.view()).toEqual({ baseUrl: '', model: '', firstTokenTimeoutMs: 4_000, hasKey: false, configured: false, ...redaction });
    expect(await settings.clientConfig()).toBeNull();
    const view = await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'http://127.0.0.1:9999/v1', model: 'm1', apiKey: 'sk-unit-secret', firstTokenTimeoutMs: 2_500 }));
    expect(view).toEqual({ baseUrl: 'http://127.0.0.1:9999/v1', model: 'm1', firstTokenTimeoutMs: 2_500, hasKey: true, configured: true, ...redaction });
    expect(JSON.stringify(view)).not.toContain('sk-unit-secret');
    expect(await settings.clientConfig({ maxAttempts: 2 })).toEqual({ maxAttempts: 2, baseURL: 'http://127.0.0.1:9999/v1', model: 'm1', firstTokenTimeoutMs: 2_500, apiKey: 'sk-unit-secret', region: 'US', nationalIdCountries: knownNationalIdCountries() });
    // The key is not in the cache's settings row.
    expect(JSON.stringify(cache.settings.get('ai.endpoint', z.unknown()))).not.toContain('sk-unit-secret');
    const file = join(dir, `${apiKeySecretName('ava')}.secret`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    cache.close();
  });

  it('keeps the stored key for the same endpoint, asks for it again for another, removes it on request, and tests with the form values', async () => {
    const { settings, cache } = store();
    await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'https://a.test/v1', model: 'm', apiKey: 'sk-1' }));
    expect((await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'https://a.test/v1', model: 'm2' }))).hasKey).toBe(true);
    expect((await settings.clientConfig())?.apiKey).toBe('sk-1');
    expect(await settings.trialConfig(aiSettingsInputSchema.parse({ baseUrl: 'https://a.test/v1', model: 'm3' }))).toMatchObject({ baseURL: 'https://a.test/v1', apiKey: 'sk-1' });
    // Another URL: the stored key is not sent there, and saving it without a new key drops the key.
    expect(await settings.trialConfig(aiSettingsInputSchema.parse({ baseUrl: 'https://c.test/v1', model: 'm3' }))).not.toHaveProperty('apiKey');
    expect(await settings.trialConfig(aiSettingsInputSchema.parse({ baseUrl: 'https://c.test/v1', model: 'm3', apiKey: 'sk-typed' }))).toMatchObject({ baseURL: 'https://c.test/v1', apiKey: 'sk-typed' });
    expect(await settings.trialConfig(aiSettingsInputSchema.parse({ baseUrl: 'https://a.test/v1', model: 'm3', clearKey: true }))).not.toHaveProperty('apiKey');
    expect(await settings.trialConfig(aiSettingsInputSchema.parse({ baseUrl: '', model: '' }))).toBeNull();
    expect((await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'https://b.test/v1', model: 'm2' }))).hasKey).toBe(false);
    expect((await settings.clientConfig())?.apiKey).toBeUndefined();
    expect((await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'https://b.test/v1', model: 'm2', apiKey: 'sk-2' }))).hasKey).toBe(true);
    expect((await settings.save(aiSettingsInputSchema.parse({ baseUrl: 'https://b.test/v1', model: 'm2', clearKey: true }))).hasKey).toBe(false);
    expect((await settings.clientConfig())?.apiKey).toBeUndefined();
    cache.close();
  });

  it('falls back to defaults when the stored row is damaged', async () => {
    const { settings, cache, dir } = store();
    const raw = new Database(join(dir, 'cache.db'));
    unlockCache(raw, KEY);
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('ai.endpoint', '{\"baseUrl\": 5', '')").run();
    raw.close();
    expect(await settings.view()).toMatchObject({ baseUrl: '', configured: false });
    cache.close();
  });

  it('keeps each user’s key apart', () => {
    expect(apiKeySecretName('ava')).not.toBe(apiKeySecretName('rachel'));
    expect(apiKeySecretName('../../etc/passwd')).toMatch(/^ai-api-key\.[A-Za-z0-9_-]+$/);
  });
});

describe('secret stores', () => {
  /** A stand-in for safeStorage: reversible, and visibly not the plain text. */
  function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
    return {
      isEncryptionAvailable: () => available,
      encryptString: (plain) => Buffer.from(`enc:${Buffer.from(plain, 'utf8').toString('base64')}`),
      decryptString: (encrypted) => {
        const text = encrypted.toString('utf8');
        if (!text.startsWith('enc:')) throw new Error('not ours');
        return Buffer.from(text.slice(4), 'base64').toString('utf8');
      },
      getSelectedStorageBackend: () => backend,
    };
  }

  it('encrypts with safeStorage where the OS offers it', async () => {
    const dir = tempDir();
    const store = new SafeStorageSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'linux' });
    await store.set('ai-api-key.ava', 'sk-very-secret');
    const file = join(dir, 'ai-api-key.ava.secret.enc');
    expect(readFileSync(file, 'utf8')).not.toContain('sk-very-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('ai-api-key.ava')).toBe('sk-very-secret');
    await store.delete('ai-api-key.ava');
    expect(await store.get('ai-api-key.ava')).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('falls back to a 0600 file on Linux without a keyring, and says so', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const store = new SafeStorageSecretStore({ dir, safeStorage: fakeSafeStorage('basic_text'), platform: 'linux', warn: (m) => warnings.push(m) });
    await store.set('ai-api-key.ava', 'sk-plain');
    expect(statSync(join(dir, 'ai-api-key.ava.secret')).mode & 0o777).toBe(0o600);
    expect(await store.get('ai-api-key.ava')).toBe('sk-plain');
    expect(warnings).toHaveLength(1);
  });

  it('refuses to keep a key in plain text on macOS and Windows', async () => {
    const store = new SafeStorageSecretStore({ dir: tempDir(), safeStorage: fakeSafeStorage('unknown', false), platform: 'win32' });
    await expect(store.set('ai-api-key.ava', 'sk-x')).rejects.toThrow(/not available/);
  });

  it('forgets a key it can no longer decrypt (keychain reset) instead of failing', async () => {
    const dir = tempDir();
    const store = new SafeStorageSecretStore({ dir, safeStorage: fakeSafeStorage(), platform: 'darwin' });
    await store.set('ai-api-key.ava', 'sk-x');
    const broken = new SafeStorageSecretStore({ dir, safeStorage: { ...fakeSafeStorage(), decryptString: () => { throw new Error('keychain reset'); } }, platform: 'darwin' });
    expect(await broken.get('ai-api-key.ava')).toBeNull();
  });

  it('refuses names that could leave the folder', async () => {
    const store = new FileSecretStore(tempDir());
    await expect(store.set('../escape', 'x')).rejects.toThrow(/Invalid secret name/);
    await expect(store.get('a/b')).rejects.toThrow(/Invalid secret name/);
  });
});
