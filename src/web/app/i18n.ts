// i18next setup: zh-CN (default) and English, bundled; the choice is remembered in localStorage and mirrored to
// dayjs, the <html lang> attribute and the API client's Accept-Language header.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import relativeTime from 'dayjs/plugin/relativeTime';
import { LANGUAGES, type Language } from '../../shared/enums.js';
import { configureApi, setApiLanguage } from '../api/client.js';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

dayjs.extend(relativeTime);

const STORAGE_KEY = 'aftercare.language';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage disabled: fall through to the default
  }
  return 'zh-CN';
}

function applySideEffects(lang: Language): void {
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  setApiLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

const lang = initialLanguage();
applySideEffects(lang);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: lang,
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

configureApi({
  fallbackMessage: (code, status) => (code === 'network' ? i18n.t('errors.network') : i18n.t('errors.http', { status })),
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'zh-CN';
}

export async function changeLanguage(next: Language): Promise<void> {
  applySideEffects(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; still switch for this session
  }
  await i18n.changeLanguage(next);
}

export default i18n;
