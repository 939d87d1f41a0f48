import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `holdfast-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
