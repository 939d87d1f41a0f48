// Bundles the Electron main process and the preload with esbuild.
//   node scripts/build-electron.mjs [--outdir DIR]   (default: dist-electron)
// main.cjs: Node/CommonJS. Native and Electron modules stay external and are
//   loaded from node_modules (electron-builder ships the production
//   dependencies, unpacking *.node files from the asar); pure-JS dependencies
//   (zod, socket.io-client, libphonenumber-js) are bundled.
// preload.cjs: the preload runs sandboxed, where `require` only knows
//   'electron' (and a few polyfilled built-ins we do not use), so everything
//   else is bundled into this one file and Node built-ins are a build error.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Electron itself; the SQLite addon (native, loads its prebuilt .node by path);
// and ws's optional native speed-ups, which it requires inside try/catch.
const MAIN_EXTERNALS = ['electron', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'];

function usage(message) {
  console.error(`build-electron: ${message}\nUsage: node scripts/build-electron.mjs [--outdir DIR]`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({ options: { outdir: { type: 'string' } }, allowPositionals: false }).values;
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const outDir = resolve(root, options.outdir ?? 'dist-electron');

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  // src-main's tsconfig carries the @shared/* path alias.
  tsconfig: join(root, 'src-main', 'tsconfig.json'),
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
};

async function main() {
  for (const entry of ['src-main/app/main.ts', 'src-main/app/preload.ts']) {
    if (!existsSync(join(root, entry))) usage(`missing entry ${entry}`);
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const started = Date.now();
  await Promise.all([
    build({
      ...common,
      // The cold-sync workers are entries of their own: worker_threads loads them from files beside main.cjs.
      entryPoints: {
        main: 'src-main/app/main.ts',
        'snapshot-worker': 'src-main/services/sync/snapshot-worker.ts',
        'snapshot-fetcher': 'src-main/services/sync/snapshot-fetcher.ts',
        'image-worker': 'src-main/services/sync/image-worker.ts',
      },
      outExtension: { '.js': '.cjs' },
      outdir: outDir,
      platform: 'node',
      // Electron 45 runs Node 22.
      target: 'node22',
      external: MAIN_EXTERNALS,
      sourcemap: 'linked',
      // CommonJS has no import.meta; code that looks for its own location falls back to __dirname.
      define: { ...common.define, 'import.meta.url': 'undefined' },
    }),
    build({
      ...common,
      entryPoints: { preload: 'src-main/app/preload.ts' },
      outExtension: { '.js': '.cjs' },
      outdir: outDir,
      // A sandboxed preload is a renderer context: no Node, so bundle as for the browser.
      platform: 'browser',
      // Electron 45 is Chromium 140.
      target: 'chrome140',
      external: ['electron'],
      // The contract's name checks pull in zod with all its locales; minified, it parses faster on every page load.
      minify: true,
    }),
  ]);
  console.error(`build-electron: wrote main.cjs, snapshot-worker.cjs, snapshot-fetcher.cjs, image-worker.cjs and preload.cjs to ${outDir} in ${Date.now() - started} ms`);
}

main().catch((error) => {
  // esbuild has already printed the located errors.
  console.error(`build-electron: failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
});
