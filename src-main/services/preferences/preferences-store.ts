import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { agentPreferencesSchema, DEFAULT_PREFERENCES, type AgentPreferences } from '@shared/contract/desktop-api';

/**
 * One small JSON file per agent under `<dataDir>/preferences/`. They hold no
 * customer data (theme, density, ring volume, language), so they sit beside
 * the encrypted cache in the clear.
 */
export class PreferencesStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'preferences');
  }

  private fileOf(agentId: string): string {
    // Agent ids come from the server; anything outside [A-Za-z0-9_-] is escaped so an id never names another path.
    return join(this.dir, `${agentId.replace(/[^A-Za-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}.json`);
  }

  /** The agent's preferences; defaults for a first sign-in. A damaged file is reported and read as the defaults. */
  async read(agentId: string): Promise<{ preferences: AgentPreferences; problem: string | null }> {
    let text: string;
    try {
      text = await readFile(this.fileOf(agentId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { preferences: DEFAULT_PREFERENCES, problem: null };
      return { preferences: DEFAULT_PREFERENCES, problem: `cannot read preferences: ${(error as Error).message}` };
    }
    try {
      // Fields added in a later version fall back to their defaults; unknown ones are dropped.
      const stored = JSON.parse(text) as Record<string, unknown>;
      const merged: Record<string, unknown> = { ...DEFAULT_PREFERENCES };
      for (const key of Object.keys(DEFAULT_PREFERENCES)) if (key in stored) merged[key] = stored[key];
      const parsed = agentPreferencesSchema.safeParse(merged);
      if (parsed.success) return { preferences: parsed.data, problem: null };
      return { preferences: DEFAULT_PREFERENCES, problem: `preferences file is invalid at ${parsed.error.issues[0]?.path.join('.') ?? '?'}` };
    } catch {
      return { preferences: DEFAULT_PREFERENCES, problem: 'preferences file is not JSON' };
    }
  }

  /** Written to a temporary file and renamed over the old one, so a crash mid-write leaves the old preferences whole. */
  async write(agentId: string, preferences: AgentPreferences): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(agentId);
    // Each write has its own temporary, so two writes at once never rename one another's file.
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(preferences)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }
}
