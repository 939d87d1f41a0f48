import type { preferenceMethods } from '@shared/contract/desktop-api';
import type { Language } from '@shared/domain/language';
import type { Handlers, MethodsOf } from '../desk/desk';

/** The agent's UI language: briefs and wrap-up drafts are written in it. */
export class PreferencesDesk {
  private uiLanguage: Language = 'en';
  private readonly languageListeners = new Set<(language: Language) => void>();

  readonly handlers: Handlers<MethodsOf<typeof preferenceMethods>> = {
    'ui.setLanguage': ({ language }) => {
      if (language !== this.uiLanguage) {
        this.uiLanguage = language;
        for (const listener of this.languageListeners) listener(language);
      }
      return { ok: true as const };
    },
  };

  get language(): Language {
    return this.uiLanguage;
  }

  onLanguageChanged(listener: (language: Language) => void): void {
    this.languageListeners.add(listener);
  }
}
