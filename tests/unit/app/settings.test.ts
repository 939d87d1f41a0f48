import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, resolveServerCaFile, resolveServerUrl, SETTINGS_FILE } from '../../../src-main/app/settings';
import { makeTempDir } from '../../support/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('settings');
});
afterEach(() => temp.remove());

const writeSettings = (content: string) => writeFileSync(join(temp.path, SETTINGS_FILE), content);

describe('resolveServerUrl', () => {
  it('defaults to the local server', () => {
    expect(resolveServerUrl({}, temp.path)).toEqual({ serverUrl: DEFAULT_SERVER_URL, source: 'default', warnings: [] });
  });

  it('prefers HOLDFAST_SERVER_URL over the settings file', () => {
    writeSettings(JSON.stringify({ serverUrl: 'https://settings.example' }));
    expect(resolveServerUrl({ HOLDFAST_SERVER_URL: 'https://env.example:8443' }, temp.path)).toMatchObject({ serverUrl: 'https://env.example:8443', source: 'env' });
  });

  it('reads serverUrl from settings.json in userData', () => {
    writeSettings(JSON.stringify({ serverUrl: 'https://settings.example', theme: 'dark' }));
    expect(resolveServerUrl({}, temp.path)).toMatchObject({ serverUrl: 'https://settings.example', source: 'settings', warnings: [] });
  });

  it('skips bad values with a warning', () => {
    writeSettings(JSON.stringify({ serverUrl: 'ftp://files.example' }));
    const bad = resolveServerUrl({ HOLDFAST_SERVER_URL: 'javascript:alert(1)' }, temp.path);
    expect(bad.serverUrl).toBe(DEFAULT_SERVER_URL);
    expect(bad.warnings).toHaveLength(2);
    expect(bad.warnings[0]).toMatch(/HOLDFAST_SERVER_URL/);
    expect(bad.warnings[1]).toMatch(/serverUrl/);

    writeSettings('{ not json');
    const broken = resolveServerUrl({}, temp.path);
    expect(broken.source).toBe('default');
    expect(broken.warnings[0]).toMatch(/could not be read/);
  });
});

describe('resolveServerUrl: no plain http to other machines', () => {
  it('refuses http:// to a host that is not loopback, from the environment or settings.json, naming why', () => {
    expect(() => resolveServerUrl({ HOLDFAST_SERVER_URL: 'http://routing.example:4870' }, temp.path)).toThrow(/not encrypted.*routing\.example.*https:\/\//);
    writeSettings(JSON.stringify({ serverUrl: 'http://10.0.0.5:4870' }));
    expect(() => resolveServerUrl({}, temp.path)).toThrow(/refused.*10\.0\.0\.5/);
  });

  it('allows http:// to loopback and https:// anywhere', () => {
    for (const url of ['http://127.0.0.1:4870', 'http://localhost:4870', 'http://[::1]:4870', 'http://127.8.9.10', 'https://routing.example']) {
      expect(resolveServerUrl({ HOLDFAST_SERVER_URL: url }, temp.path).source, url).toBe('env');
    }
  });
});

describe('resolveServerCaFile', () => {
  it('takes HOLDFAST_SERVER_CA, else serverCaFile from settings.json, else none', () => {
    expect(resolveServerCaFile({}, temp.path)).toBeNull();
    writeSettings(JSON.stringify({ serverUrl: 'https://routing.example', serverCaFile: '/etc/holdfast/ca.pem' }));
    expect(resolveServerCaFile({}, temp.path)).toBe('/etc/holdfast/ca.pem');
    expect(resolveServerCaFile({ HOLDFAST_SERVER_CA: '/env/ca.pem' }, temp.path)).toBe('/env/ca.pem');
  });
});
