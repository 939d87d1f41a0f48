import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

const root = join(import.meta.dirname, '..', '..', '..');
// js-yaml and app-builder-lib come with electron-builder; resolve them from there.
const fromBuilder = createRequire(join(root, 'node_modules', 'electron-builder', 'package.json'));
const yaml = fromBuilder('js-yaml') as { load(text: string): unknown };

function loadConfig(): Configuration {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;
}

function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'string' ? entry : (entry as { target: string }).target));
}

describe('electron-builder.yml', () => {
  it('names the app and lists the targets for each platform', () => {
    const config = loadConfig();
    expect(config.appId).toBe('io.holdfast.desktop');
    expect(config.productName).toBe('Holdfast');
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Office');
    expect(config.linux?.maintainer).toBeTruthy();
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
  });

  it('packs the built app, unpacks native modules, and ships the playbook', () => {
    const config = loadConfig();
    const files = config.files as string[];
    for (const entry of ['package.json', 'dist/renderer/**/*', 'dist-electron/**/*']) expect(files).toContain(entry);
    expect(files.some((entry) => entry.startsWith('!tests'))).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', expect.stringContaining('better-sqlite3-multiple-ciphers'), 'dist-electron/snapshot-worker.cjs', 'dist-electron/snapshot-fetcher.cjs']));
    expect(config.npmRebuild).toBe(true);
    const extra = config.extraResources as { from: string; to: string }[];
    expect(extra).toContainEqual(expect.objectContaining({ from: 'resources/playbook', to: 'playbook' }));
    expect(readFileSync(join(root, config.linux?.icon as string)).subarray(1, 4).toString()).toBe('PNG');
  });
});
