import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface FindElectronOptions {
  /** The installed `electron` package's directory; found with require.resolve when omitted. */
  packageDir?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The Electron executable installed under node_modules, or null when only the
 * npm package is there (ELECTRON_SKIP_BINARY_DOWNLOAD, offline install).
 *
 * Why not `require('electron')`: in the installed Electron (45) its index.js,
 * on finding no binary, first spawns the downloader, which blocks (or hangs
 * offline) before it throws. So this repeats its lookup without the
 * download: `path.txt` names the executable under `dist/`, and
 * ELECTRON_OVERRIDE_DIST_PATH overrides the directory, as in electron/index.js.
 */
export function findElectronBinary(options: FindElectronOptions = {}): string | null {
  const env = options.env ?? process.env;
  try {
    const packageDir = options.packageDir ?? dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
    const override = env.ELECTRON_OVERRIDE_DIST_PATH;
    let candidate: string;
    if (override) candidate = join(override, executable || 'electron');
    else if (executable) candidate = join(packageDir, 'dist', executable);
    else return null;
    return existsSync(candidate) ? candidate : null;
  } catch {
    return null;
  }
}
