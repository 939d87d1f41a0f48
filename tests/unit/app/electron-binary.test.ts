import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../../src-main/app/electron-binary';
import { makeTempDir } from '../../support/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('electron-binary');
});
afterEach(() => temp.remove());

function fakeElectronPackage(pathTxt: string | null, withBinary: boolean): string {
  const dir = join(temp.path, 'electron');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"electron"}');
  if (pathTxt !== null) writeFileSync(join(dir, 'path.txt'), pathTxt);
  if (withBinary) {
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
  }
  return dir;
}

describe('findElectronBinary', () => {
  it('returns the executable named by path.txt when it exists', () => {
    const dir = fakeElectronPackage('electron', true);
    expect(findElectronBinary({ packageDir: dir, env: {} })).toBe(join(dir, 'dist', 'electron'));
  });

  it('returns null when only the npm package is installed', () => {
    expect(findElectronBinary({ packageDir: fakeElectronPackage(null, false), env: {} })).toBeNull();
    expect(findElectronBinary({ packageDir: fakeElectronPackage('electron', false), env: {} })).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = fakeElectronPackage(null, false);
    const custom = join(temp.path, 'custom');
    mkdirSync(custom);
    writeFileSync(join(custom, 'electron'), '');
    expect(findElectronBinary({ packageDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: custom } })).toBe(join(custom, 'electron'));
    expect(findElectronBinary({ packageDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: join(temp.path, 'nowhere') } })).toBeNull();
  });

  it('returns null instead of throwing for a missing package directory', () => {
    expect(findElectronBinary({ packageDir: join(temp.path, 'no-such-dir'), env: {} })).toBeNull();
  });

  it('answers quickly for the real install without downloading', () => {
    const started = Date.now();
    const found = findElectronBinary();
    expect(found === null || typeof found === 'string').toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
