import { describe, expect, it } from 'vitest';
import { playbookEn } from '../../../src-renderer/i18n/playbook-en';
import { playbookHe } from '../../../src-renderer/i18n/playbook-he';
import { playbookRu } from '../../../src-renderer/i18n/playbook-ru';
import { playbookZh } from '../../../src-renderer/i18n/playbook-zh';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** The plural forms each language's rules ask for (Intl.PluralRules), beside the zero form i18next adds. */
function forms(language: string): string[] {
  return [...new Intl.PluralRules(language).resolvedOptions().pluralCategories];
}

describe('playbook strings', () => {
  const en = new Set(keys(playbookEn));
  for (const [language, messages] of [['he', playbookHe], ['ru', playbookRu], ['zh', playbookZh]] as const) {
    it(`has every string in ${language}, with the plural forms ${language} needs`, () => {
      const own = new Set(keys(messages));
      const missing: string[] = [];
      const bases = new Set([...en].map((k) => k.replace(PLURAL, '')));
      for (const base of bases) {
        const plural = [...en].some((k) => k !== base && k.replace(PLURAL, '') === base);
        if (!plural) {
          if (!own.has(base)) missing.push(base);
          continue;
        }
        // "other" is the form every language has; the rest must be there where the language uses them.
        for (const form of forms(language).filter((f) => f === 'other' || f === 'few' || f === 'many' || (f === 'two' && language === 'he'))) {
          if (!own.has(`${base}_${form}`) && !(form !== 'other' && own.has(`${base}_other`) && language === 'zh')) missing.push(`${base}_${form}`);
        }
      }
      expect(missing).toEqual([]);
      // Nothing left untranslated: no value equal to the English one (bar codes and placeholders).
      const same = [...own].filter((k) => {
        const get = (root: unknown): unknown => k.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], root);
        const mine = get(messages) as string;
        return en.has(k) && mine === get(playbookEn) && /[A-Za-z]{3,}/.test(mine.replace(/\{\{[^}]+\}\}/g, ''));
      });
      expect(same).toEqual([]);
    });
  }
});
