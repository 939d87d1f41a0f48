import { z } from 'zod';
import { languageSchema } from '../../domain/language';
import { ok } from './shared';

export const preferenceMethods = {
  /** The renderer's i18n language: briefs and drafts are written in it. */
  'ui.setLanguage': { input: z.object({ language: languageSchema }), output: ok },
} as const;
