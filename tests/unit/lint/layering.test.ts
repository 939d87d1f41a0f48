import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering rules are only worth having if they fire. */
describe('layering lint rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function errors(code: string, filePath: string, rules: readonly string[] = ['no-restricted-imports', 'no-restricted-globals']): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId !== null && rules.includes(m.ruleId)).map((m) => m.message);
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

  it('lets only src-renderer/state reach the bridge', async () => {
    const bridgeImport = "import { bridge } from '../../bridge/bridge';\nexport const x = bridge;\n";
    expect(await errors(bridgeImport, 'src-renderer/components/pop/probe.tsx')).toHaveLength(1);
    expect(await errors("import { call } from '../bridge/bridge';\nexport const x = call;\n", 'src-renderer/screens/probe.tsx')).toHaveLength(1);
    // The rule keeps the renderer's other rules: Node is still refused in a component.
    expect(await errors("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-renderer/components/probe.tsx')).toHaveLength(1);
    expect(await errors(bridgeImport, 'src-renderer/state/actions/probe.ts')).toHaveLength(0);
    expect(await errors("import { callAction } from '../../state/actions/calls';\nexport const x = callAction;\n", 'src-renderer/components/pop/probe.tsx')).toHaveLength(0);
  });

  it('keeps Electron out of host-agnostic services', async () => {
    expect(await errors("import { app } from 'electron';\nexport const x = app;\n", 'src-main/services/probe.ts')).toHaveLength(1);
  });

  it('keeps src-main/app, the Electron glue, out of services', async () => {
    const glue = "import { createMainWindow } from '../app/main';\nexport const x = createMainWindow;\n";
    expect(await errors(glue, 'src-main/services/probe.ts')).toEqual([expect.stringContaining('src-main/app')]);
    expect(await errors("import type { IpcChannel } from '../../app/ipc-channels';\nexport type X = IpcChannel;\n", 'src-main/services/cache/probe.ts')).toHaveLength(1);
    expect(await errors("import { preloadBridge } from '../../../src-main/app/preload-bridge';\nexport const x = preloadBridge;\n", 'src-main/services/cache/probe.ts')).toHaveLength(1);
    // Services' own files, however named, and shared/ are fine; so is the glue importing services.
    expect(await errors("import { applySnapshot } from './apply-snapshot';\nimport { createRandom } from '@shared/util/random';\nexport const x = [applySnapshot, createRandom];\n", 'src-main/services/sync/probe.ts')).toHaveLength(0);
    expect(await errors("import { aiSettings } from '../ai-settings/ai-settings';\nexport const x = aiSettings;\n", 'src-main/services/ai/probe.ts')).toHaveLength(0);
    expect(await errors("import { createBackend } from '../services/create-backend';\nexport const x = createBackend;\n", 'src-main/app/probe.ts')).toHaveLength(0);
  });

  /** SHARED_LAYERS in eslint.config.ts: util < domain < contract < algorithms < demo-data and routing/simulation. */
  describe('layers inside shared/', () => {
    const layerErrors = (code: string, filePath: string) => errors(code, filePath, ['holdfast/shared-layers']);
    const importing = (specifier: string) => `import type { X } from '${specifier}';\nexport type Y = X;\n`;

    it('keeps util a leaf', async () => {
      expect(await layerErrors(importing('../domain/customer'), 'shared/util/probe.ts')).toEqual([expect.stringContaining('util may import nothing else in shared/')]);
      expect(await layerErrors(importing('./random'), 'shared/util/probe.ts')).toHaveLength(0);
    });

    it('lets the domain import only util', async () => {
      expect(await layerErrors(importing('../contract/desktop-api'), 'shared/domain/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('../identity/agent-api'), 'shared/domain/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('@shared/demo-data/generate'), 'shared/domain/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('./customer') + importing('../util/random'), 'shared/domain/probe.ts')).toHaveLength(0);
    });

    it('lets the contract import only the domain and util', async () => {
      // What desktop-api.ts imported before the schemas moved down into shared/domain.
      expect(await layerErrors(importing('../identity/agent-api'), 'shared/contract/probe.ts')).toEqual([expect.stringContaining('contract may import only domain, util')]);
      expect(await layerErrors(importing('../redaction/config'), 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('../sync/profile-edits'), 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('../playbook/playbook'), 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors("export { profileEditSchema } from '@shared/sync/profile-edits';\n", 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors('export type X = import("../identity/agent-api").IdentityCandidate;\n', 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('../routing/simulation/simulate'), 'shared/contract/probe.ts')).toHaveLength(1);
      expect(await layerErrors(importing('../domain/profile-edit') + importing('./pop') + importing('@shared/util/random'), 'shared/contract/probe.ts')).toHaveLength(0);
    });

    it('keeps the algorithms below demo data and the simulator', async () => {
      expect(await layerErrors(importing('../demo-data/generate'), 'shared/identity/probe.ts')).toHaveLength(1);
      // routing/simulation is its own layer, though inside routing/.
      expect(await layerErrors(importing('./simulation/simulate'), 'shared/routing/probe.ts')).toEqual([expect.stringContaining('(top)')]);
      expect(await layerErrors(importing('../simulation/compare'), 'shared/routing/policies/probe.ts')).toHaveLength(1);
      // Algorithms use one another, the contract, the domain and util.
      expect(await layerErrors(importing('../redaction/index') + importing('../contract/desktop-api') + importing('../domain/wrap-up') + importing('../util/random'), 'shared/ai/probe.ts')).toHaveLength(0);
      expect(await layerErrors(importing('../engine'), 'shared/routing/policies/probe.ts')).toHaveLength(0);
    });

    it('lets demo data and the simulator import every layer', async () => {
      expect(await layerErrors(importing('../engine') + importing('../../value/clv') + importing('@shared/contract/sync') + importing('../../domain/call') + importing('../../util/random'), 'shared/routing/simulation/probe.ts')).toHaveLength(0);
      expect(await layerErrors(importing('../identity/synthetic') + importing('../routing/simulation/roster'), 'shared/demo-data/probe.ts')).toHaveLength(0);
    });

    it('makes a new folder of shared/ take a place in the table', async () => {
      expect(await layerErrors(importing('../domain/customer'), 'shared/billing/probe.ts')).toEqual([expect.stringContaining('shared/billing is in no layer')]);
      expect(await layerErrors(importing('../billing/invoice'), 'shared/identity/probe.ts')).toEqual([expect.stringContaining('shared/billing/invoice is in no layer')]);
    });
  });
});
