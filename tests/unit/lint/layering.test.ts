import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering rules are only worth having if they fire. */
describe('layering lint rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function errors(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
  }

  it('keeps Node, the DOM and Electron out of shared/', async () => {
    expect(await errors("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'shared/probe.ts')).toHaveLength(1);
    expect(await errors("import { join } from 'path';\nexport const x = join;\n", 'shared/probe.ts')).toHaveLength(1);
    // Less common built-ins are caught too, bare and with sub-paths.
    expect(await errors("import { createRequire } from 'module';\nexport const x = createRequire;\n", 'shared/probe.ts')).toHaveLength(1);
    expect(await errors("import { connect } from 'http2';\nexport const x = connect;\n", 'shared/probe.ts')).toHaveLength(1);
    expect(await errors("import { setTimeout as wait } from 'timers/promises';\nexport const x = wait;\n", 'shared/probe.ts')).toHaveLength(1);
    expect(await errors("import { app } from 'electron';\nexport const x = app;\n", 'shared/probe.ts')).toHaveLength(1);
    expect(await errors('export const x = document.title;\n', 'shared/probe.ts')).toHaveLength(1);
    expect(await errors('export const x = process.env;\n', 'shared/probe.ts')).toHaveLength(1);
    expect(await errors("import { createRandom } from '@shared/util/random';\nexport const x = createRandom;\n", 'shared/probe.ts')).toHaveLength(0);
  });

  it('keeps Node and Electron out of the renderer', async () => {
    expect(await errors("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-renderer/probe.ts')).toHaveLength(1);
    expect(await errors("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'src-renderer/probe.ts')).toHaveLength(1);
    expect(await errors("import { startRoutingServer } from '../src-server/routing-server';\nexport const x = startRoutingServer;\n", 'src-renderer/probe.ts')).toHaveLength(1);
  });

  it('keeps Electron out of host-agnostic services', async () => {
    expect(await errors("import { app } from 'electron';\nexport const x = app;\n", 'src-main/services/probe.ts')).toHaveLength(1);
  });
});
