import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RTL_LANGUAGES, type Language } from '@shared/domain/language';
import { en } from './en';
import { he } from './he';
import { ru } from './ru';
import { zh } from './zh';

export const UI_LANGUAGES = ['en', 'he', 'ru', 'zh'] as const satisfies readonly Language[];
export type UiLanguage = (typeof UI_LANGUAGES)[number];
const STORAGE_KEY = 'holdfast.uiLanguage';

function initialLanguage(): UiLanguage {
  const stored = localStorage.getItem(STORAGE_KEY);
  return (UI_LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as UiLanguage) : 'en';
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, he: { translation: he }, ru: { translation: ru }, zh: { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

function applyDirection(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = RTL_LANGUAGES.has(language as Language) ? 'rtl' : 'ltr';
}
applyDirection(i18next.language);
i18next.on('languageChanged', (language) => {
  localStorage.setItem(STORAGE_KEY, language);
  applyDirection(language);
});

export { i18next };
