import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '@shared/contract/desktop-api';
import { PreferencesStore } from '../../../src-main/services/preferences/preferences-store';
import { makeTempDir } from '../../support/temp-dir';

describe('agent preferences on disk', () => {
  const dirs: Array<{ remove(): void }> = [];
  const temp = () => {
    const dir = makeTempDir('prefs');
    dirs.push(dir);
    return dir.path;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('gives the defaults to a new agent and keeps each agent apart', async () => {
    const store = new PreferencesStore(temp());
    expect(await store.read('A-1')).toEqual({ preferences: DEFAULT_PREFERENCES, problem: null });
    await store.write('A-1', { ...DEFAULT_PREFERENCES, theme: 'dark', ringVolume: 0.2, language: 'he' });
    expect((await store.read('A-1')).preferences).toMatchObject({ theme: 'dark', ringVolume: 0.2, language: 'he' });
    expect((await store.read('A-2')).preferences).toEqual(DEFAULT_PREFERENCES);
  });

  it('never lets an agent id name a path outside its folder', async () => {
    const dir = temp();
    const store = new PreferencesStore(dir);
    await store.write('../../evil', { ...DEFAULT_PREFERENCES, theme: 'light' });
    expect(readdirSync(join(dir, 'preferences'))).toEqual(['%2e%2e%2f%2e%2e%2fevil.json']);
    expect((await store.read('../../evil')).preferences.theme).toBe('light');
  });

  it('reads a damaged file as the defaults and says why, and keeps fields it knows', async () => {
    const dir = temp();
    const store = new PreferencesStore(dir);
    mkdirSync(join(dir, 'preferences'), { recursive: true });
    writeFileSync(join(dir, 'preferences', 'A-1.json'), '{"theme":"dark",');
    const broken = await store.read('A-1');
    expect(broken.preferences).toEqual(DEFAULT_PREFERENCES);
    expect(broken.problem).toMatch(/not JSON/);

    writeFileSync(join(dir, 'preferences', 'A-1.json'), JSON.stringify({ theme: 'purple' }));
    expect((await store.read('A-1')).problem).toMatch(/invalid at theme/);

    // An older file without the newer fields, plus one this version does not know.
    writeFileSync(join(dir, 'preferences', 'A-1.json'), JSON.stringify({ theme: 'dark', retired: true }));
    expect(await store.read('A-1')).toEqual({ preferences: { ...DEFAULT_PREFERENCES, theme: 'dark' }, problem: null });
  });

  it('writes whole files only (no temporary left behind)', async () => {
    const dir = temp();
    const store = new PreferencesStore(dir);
    await Promise.all([0.1, 0.2, 0.3].map((ringVolume) => store.write('A-1', { ...DEFAULT_PREFERENCES, ringVolume })));
    expect(readdirSync(join(dir, 'preferences'))).toEqual(['A-1.json']);
    expect(() => JSON.parse(readFileSync(join(dir, 'preferences', 'A-1.json'), 'utf8')) as unknown).not.toThrow();
  });
});
