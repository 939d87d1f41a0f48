import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/i18n/en';
import { he } from '../../../src-renderer/i18n/he';
import { ru } from '../../../src-renderer/i18n/ru';
import { zh } from '../../../src-renderer/i18n/zh';

/** Every key path under a messages object ("roles.agent", "level.1"). */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key)).sort();
}

describe('the Accounts screen in every UI language', () => {
  it('has every accounts string, and the language names its form lists, in he, ru and zh', () => {
    for (const [name, messages] of Object.entries({ he, ru, zh })) {
      expect(keys(messages.accounts), name).toEqual(keys(en.accounts));
      expect(keys(messages.language), name).toEqual(keys(en.language));
    }
  });

  it('uses only strings that exist', () => {
    const source = readFileSync(resolve(import.meta.dirname, '../../../src-renderer/screens/AccountsScreen.tsx'), 'utf8');
    const used = [...source.matchAll(/'accounts\.([\w.]+)'/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(20);
    const known = new Set(keys(en.accounts));
    expect(used.filter((key) => !known.has(key))).toEqual([]);
  });
});
