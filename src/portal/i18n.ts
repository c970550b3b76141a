// i18next for the portal: zh-CN first, English complete. Every capability keeps its texts in its own
// `src/portal/<cap>/locales.ts` (`export default { 'zh-CN': {...}, en: {...} }`, under a key of its own, e.g. `kb`);
// they are found by the glob below and merged here, so adding a page's texts touches no shared file.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from './api.js';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
type Tree = { [key: string]: string | Tree };
export type PortalLocales = Record<Language, Tree>;

const modules = import.meta.glob<{ default: PortalLocales }>('./*/locales.ts', { eager: true });

function merge(into: Tree, from: Tree, where: string): void {
  for (const [k, v] of Object.entries(from)) {
    const have = into[k];
    if (typeof v === 'object' && typeof have === 'object') merge(have, v, `${where}.${k}`);
    else if (have !== undefined) throw new Error(`portal locales: ${where}.${k} is defined twice`);
    else into[k] = typeof v === 'object' ? structuredClone(v) : v;
  }
}

/** Every capability's texts, one tree per language (exported for the test that checks both languages match). */
export function portalResources(): Record<Language, Tree> {
  const out: Record<Language, Tree> = { 'zh-CN': {}, en: {} };
  for (const [file, mod] of Object.entries(modules)) for (const lang of LANGUAGES) merge(out[lang], mod.default[lang] ?? {}, `${file}:${lang}`);
  return out;
}

const STORAGE_KEY = 'aftercare.language'; // shared with the console: one choice per browser

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh-CN' || stored === 'en') return stored;
  } catch {
    // storage disabled
  }
  return typeof navigator !== 'undefined' && /^en\b/i.test(navigator.language) ? 'en' : 'zh-CN';
}

function apply(lang: Language): void {
  setApiLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

const resources = portalResources();
const lang = initialLanguage();
apply(lang);
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: resources['zh-CN'] }, en: { translation: resources.en } },
  lng: lang,
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export async function changeLanguage(next: Language): Promise<void> {
  apply(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted
  }
  await i18n.changeLanguage(next);
}

export default i18n;
