import { builtinModules } from 'node:module';
import js from '@eslint/js';
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
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: [
        ...nodeImportPatterns,
        { group: ['react', 'react-dom', 'react-dom/*'], message: 'shared/ must not depend on the UI.' },
        { group: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**'], message: 'shared/ imports nothing of the other layers.' },
      ] }],
      // DOM and Node globals are not declared for shared/, so any use is flagged.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltinPaths, patterns: [
        ...nodeImportPatterns,
        { group: ['**/src-main/**', '**/src-server/**'], message: 'The renderer reaches the backend only through the API contract.' },
      ] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'require'],
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
    files: ['src-main/services/**/*.ts', 'src-main/web-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*'], message: 'Services are host-agnostic: Electron belongs in src-main/app.' },
        { group: ['**/src-server/**', '**/src-renderer/**'], message: 'The desktop backend imports only shared/.' },
      ] }],
    },
  },
);
