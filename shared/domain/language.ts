import { z } from 'zod';

/** Languages the product is staffed and translated for. */
export const SUPPORTED_LANGUAGES = ['en', 'he', 'ru', 'zh', 'ar', 'es'] as const;
export const languageSchema = z.enum(SUPPORTED_LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const RTL_LANGUAGES: ReadonlySet<Language> = new Set(['he', 'ar']);
