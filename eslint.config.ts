import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import type { JSSyntaxElement, Rule } from 'eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering, after VS Code's common/node/browser/electron-main split:
// shared/ runs anywhere, so it may not reach for Node, the DOM or Electron;
// the renderer talks to the backend only through the typed API contract.
// Every built-in this Node knows (fs, module, http2, async_hooks, …), and their sub-paths such as fs/promises.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));
// Bare built-in names are matched exactly (as `paths`), so '@shared/util/...' is not mistaken for 'util'.
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({ name, message: `Node built-in "${name}" is not allowed in this layer.` }));
const nodeImportPatterns = [
  { group: ['node:*'], message: 'Node built-ins are not allowed in this layer.' },
  { group: ['electron', 'electron/*'], message: 'Electron is only for src-main/app.' },
  { group: ['better-sqlite3*', 'socket.io', 'fastify*', '@fastify/*', 'pino*'], message: 'Server/Node-only packages are not allowed in this layer.' },
];

// Layers inside shared/, lowest first. A file belongs to the layer of the
// longest folder that holds it (so routing/simulation is not routing). It may
// import its own layer and the layers in `mayImport`, nothing else in shared/;
// type-only imports count too. An import from or into a folder that is in no
// layer is reported, so a new folder has to be placed here. The table follows
// the measured import graph: change it, not the rule, when the layering does.
const SHARED_LAYERS = layerTable({
  // Leaf helpers that know nothing of the domain: seeded random numbers, the log redaction list.
  util: { folders: ['util'], mayImport: [] },
  // Entities and their zod schemas: customers, calls, agents, offers, wrap-ups, profile edits…
  domain: { folders: ['domain'], mayImport: ['util'] },
  // The desktop API, socket events, HTTP shapes and change feed, written in domain types.
  contract: { folders: ['contract'], mayImport: ['domain', 'util'] },
  // Pure logic over the domain; they may use one another (ai uses redaction and summary).
  algorithms: {
    folders: ['ai', 'churn', 'identity', 'offers', 'outcomes', 'playbook', 'redaction', 'routing', 'scoring', 'storage', 'summary', 'supervisor', 'sync', 'value'],
    mayImport: ['contract', 'domain', 'util'],
  },
  // Whole worlds assembled from the algorithms: the demo book and the call-centre simulator.
  top: { folders: ['demo-data', 'offers/simulation', 'routing/simulation'], mayImport: ['algorithms', 'contract', 'domain', 'util'] },
});

/** Checks at compile time that every `mayImport` names a layer of the table. */
function layerTable<const T extends { [L in keyof T]: { folders: readonly string[]; mayImport: readonly (keyof T & string)[] } }>(table: T): T {
  return table;
}

/** The layer of a path inside shared/ ('routing/simulation/compare.ts'), by its longest folder. */
function sharedLayerOf(pathInShared: string): string | undefined {
  let best: { layer: string; length: number } | undefined;
  for (const [layer, { folders }] of Object.entries(SHARED_LAYERS)) {
    for (const folder of folders) {
      if ((pathInShared === folder || pathInShared.startsWith(`${folder}/`)) && folder.length > (best?.length ?? -1)) best = { layer, length: folder.length };
    }
  }
  return best?.layer;
}

/** Enforces SHARED_LAYERS on relative ('../domain/x') and alias ('@shared/domain/x') imports. */
const sharedLayersRule: Rule.RuleModule = {
  meta: { type: 'problem', docs: { description: 'Imports inside shared/ follow SHARED_LAYERS in eslint.config.ts.' }, schema: [] },
  create(context) {
    const sharedRoot = fileURLToPath(new URL('./shared', import.meta.url));
    const file = path.relative(sharedRoot, context.filename).split(path.sep).join('/');
    if (file.startsWith('..') || path.isAbsolute(file)) return {};
    const fileLayer = sharedLayerOf(file);
    const folderOf = (p: string): string => p.split('/').slice(0, -1).join('/') || p;

    function check(node: JSSyntaxElement, specifier: unknown): void {
      if (typeof specifier !== 'string') return;
      let target: string;
      if (specifier.startsWith('@shared/')) target = specifier.slice('@shared/'.length);
      else if (specifier.startsWith('.')) target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      else return; // a package
      if (target.startsWith('..')) return; // outside shared/: the no-restricted-imports patterns above deal with it
      if (!fileLayer) {
        context.report({ node, message: `shared/${folderOf(file)} is in no layer: add it to SHARED_LAYERS in eslint.config.ts.` });
        return;
      }
      const targetLayer = sharedLayerOf(target);
      if (!targetLayer) {
        context.report({ node, message: `shared/${target} is in no layer: add its folder to SHARED_LAYERS in eslint.config.ts.` });
        return;
      }
      const allowed: readonly string[] = SHARED_LAYERS[fileLayer as keyof typeof SHARED_LAYERS].mayImport;
      if (targetLayer !== fileLayer && !allowed.includes(targetLayer)) {
        const may = allowed.length > 0 ? `only ${allowed.join(', ')}` : 'nothing else in shared/';
        context.report({ node, message: `shared/${file} (${fileLayer}) may not import shared/${target} (${targetLayer}): ${fileLayer} may import ${may} (SHARED_LAYERS in eslint.config.ts).` });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => { if (node.source) check(node.source, node.source.value); },
      ImportExpression: (node) => { if (node.source.type === 'Literal') check(node.source, node.source.value); },
      // `import('../x').T` in a type position.
      TSImportType: (node: Rule.Node) => check(node, (node as unknown as { source?: { value?: unknown } }).source?.value),
    };
  },
};

// The desktop backend (services) and the browser-mode host are host-agnostic.
const desktopBackendPatterns = [
  { group: ['electron', 'electron/*'], message: 'Services are host-agnostic: Electron belongs in src-main/app.' },
  { group: ['**/src-server/**', '**/src-renderer/**'], message: 'The desktop backend imports only shared/.' },
];

const rendererImportPatterns = [
  ...nodeImportPatterns,
  { group: ['**/src-main/**', '**/src-server/**'], message: 'The renderer reaches the backend only through the API contract.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', '.tools/**', '.tsbuild/**', 'node_modules/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2023 } },
    plugins: { holdfast: { rules: { 'shared-layers': sharedLayersRule } } },
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: [
        ...nodeImportPatterns,
        { group: ['react', 'react-dom', 'react-dom/*'], message: 'shared/ must not depend on the UI.' },
        { group: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**'], message: 'shared/ imports nothing of the other layers.' },
      ] }],
      // DOM and Node globals are not declared for shared/, so any use is flagged.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
      'holdfast/shared-layers': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: rendererImportPatterns }],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    // Components and screens talk to the backend only through src-renderer/state: its actions call
    // the bridge and its store holds what the backend sends, so no component writes state from a reply.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ignores: ['src-renderer/vite.config.ts', 'src-renderer/state/**', 'src-renderer/bridge/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: [
        ...rendererImportPatterns,
        { group: ['**/bridge/*', '**/bridge'], message: 'Components reach the backend only through src-renderer/state (its actions and store), never the bridge.' },
      ] }],
    },
  },
  {
    files: ['src-server/**/*.ts', 'src-main/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.{js,mjs,ts}', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/src-main/**', '**/src-renderer/**', 'electron'], message: 'The server imports only shared/.' },
      ] }],
    },
  },
  {
    files: ['src-main/web-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: desktopBackendPatterns }],
    },
  },
  {
    files: ['src-main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...desktopBackendPatterns,
        // Any climb out of services into a folder named app (../app, ../../app/main…): src-main/app, the Electron glue.
        { regex: '^(\\.\\./)+app(/|$)', message: 'Services are host-agnostic: they may not import src-main/app (the Electron glue).' },
        { group: ['**/src-main/app', '**/src-main/app/**'], message: 'Services are host-agnostic: they may not import src-main/app (the Electron glue).' },
      ] }],
    },
  },
);
