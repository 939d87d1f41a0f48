import type { Language } from '@shared/domain/language';

/** One message of an OpenAI-style chat request. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** How the system prompt names the output language. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  he: 'Hebrew',
  ru: 'Russian',
  zh: 'Simplified Chinese',
  es: 'Spanish',
  ar: 'Arabic',
};
