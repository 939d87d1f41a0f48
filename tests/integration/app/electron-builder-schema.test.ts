import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

const root = join(import.meta.dirname, '..', '..', '..');
// app-builder-lib and builder-util come with electron-builder; resolve them from there.
const fromBuilder = createRequire(join(root, 'node_modules', 'electron-builder', 'package.json'));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Configuration>;
      validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, notAnOption: true } as Configuration, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });
});
