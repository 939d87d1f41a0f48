import { z } from 'zod';
import { languageSchema } from '../../domain/language';
import { none, ok } from './shared';

export const THEMES = ['light', 'dark', 'system'] as const;
export const DENSITIES = ['comfortable', 'compact'] as const;

/** What an agent sets once and finds again at the next sign-in, on this desktop. */
export const agentPreferencesSchema = z.object({
  /** 'system' follows the OS (prefers-color-scheme). */
  theme: z.enum(THEMES),
  density: z.enum(DENSITIES),
  /** The ring's loudness, 0 (silent) to 1; on by default. */
  ringVolume: z.number().min(0).max(1),
  /** The UI language the agent chose; null until they choose one (the desktop's current one stays). */
  language: languageSchema.nullable(),
}).strict();
export type AgentPreferences = z.infer<typeof agentPreferencesSchema>;

export const DEFAULT_PREFERENCES: AgentPreferences = { theme: 'system', density: 'comfortable', ringVolume: 0.6, language: null };

/** The signed-in agent's preferences; agentId null (and the defaults) while nobody is signed in. */
export const preferencesStateSchema = z.object({
  agentId: z.string().nullable(),
  preferences: agentPreferencesSchema,
});
export type PreferencesState = z.infer<typeof preferencesStateSchema>;

export const preferenceMethods = {
  /** The renderer's i18n language: briefs and drafts are written in it. */
  'ui.setLanguage': { input: z.object({ language: languageSchema }), output: ok },
  'preferences.get': { input: none, output: preferencesStateSchema },
  /** Changes some of the signed-in agent's preferences and keeps them for their next sign-in. */
  'preferences.set': { input: agentPreferencesSchema.partial().strict(), output: preferencesStateSchema },
} as const;

export const preferenceEvents = {
  'preferences.changed': preferencesStateSchema,
} as const;
