import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir';

/*
 * The fuses cannot be checked in a real Electron binary here (it cannot be
 * downloaded), so the hook runs on a stand-in: a file holding the fuse
 * sentinel and wire as Electron's executable does, with Electron's defaults.
 */

const root = join(import.meta.dirname, '..', '..', '..');
const temp = makeTempDir('fuses');
afterAll(() => temp.remove());

interface HookModule {
  FUSES: Record<string, boolean>;
  fuseConfig(platform: string): Record<string, unknown>;
  electronExecutable(context: unknown): string;
  default(context: unknown): Promise<void>;
}
const loadHook = async (): Promise<HookModule> => (await import(pathToFileURL(join(root, 'scripts', 'electron-fuses.mjs')).href)) as HookModule;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 49;
const OFF = 48;
// Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and extra file:// privileges on; the rest off.
const DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];

function fakeElectron(file: string): void {
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF not really electron '), Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length, ...DEFAULT_WIRE]), Buffer.from(' more bytes')]));
}

function wireOf(file: string): number[] {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  return [...bytes.subarray(at + 2, at + 2 + bytes[at + 1]!)];
}

describe('the Electron fuses hook', () => {
  it('is the afterPack hook of electron-builder.yml', () => {
    const fromBuilder = createRequire(join(root, 'node_modules', 'electron-builder', 'package.json'));
    const yaml = fromBuilder('js-yaml') as { load(text: string): unknown };
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { afterPack?: string };
    expect(config.afterPack).toBe('./scripts/electron-fuses.mjs');
  });

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar integrity, app.asar only and cookie encryption', async () => {
    const { FUSES, fuseConfig } = await loadHook();
    expect(FUSES).toEqual({
      RunAsNode: false, EnableCookieEncryption: true, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true, OnlyLoadAppFromAsar: true, GrantFileProtocolExtraPrivileges: false,
    });
    // @electron/fuses' wire positions: 0 RunAsNode, 1 cookies, 2 NODE_OPTIONS, 3 inspect, 4 asar integrity, 5 asar only, 7 file://.
    expect(fuseConfig('linux')).toMatchObject({ version: '1', resetAdHocDarwinSignature: false, 0: false, 1: true, 2: false, 3: false, 4: true, 5: true, 7: false });
    expect(fuseConfig('darwin')).toMatchObject({ resetAdHocDarwinSignature: true });
  });

  it('finds the packaged executable on each platform', async () => {
    const { electronExecutable } = await loadHook();
    const packager = { executableName: 'holdfast', appInfo: { productFilename: 'Holdfast' } };
    expect(electronExecutable({ appOutDir: '/out', electronPlatformName: 'linux', packager })).toBe(join('/out', 'holdfast'));
    expect(electronExecutable({ appOutDir: '/out', electronPlatformName: 'win32', packager })).toBe(join('/out', 'Holdfast.exe'));
    expect(electronExecutable({ appOutDir: '/out', electronPlatformName: 'darwin', packager })).toBe(join('/out', 'Holdfast.app'));
  });

  it('flips the fuses in the binary and checks them', async () => {
    const hook = await loadHook();
    fakeElectron(join(temp.path, 'holdfast'));
    await hook.default({ appOutDir: temp.path, electronPlatformName: 'linux', packager: { executableName: 'holdfast', appInfo: { productFilename: 'Holdfast' } } });
    expect(wireOf(join(temp.path, 'holdfast'))).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF]);
  });
});
