// Every string the pages show comes from a catalogue (en.ts, de.ts) in ICU message syntax,
// formatted by intl-messageformat, so plurals and numbers follow each language's rules.
import { IntlMessageFormat } from 'intl-messageformat';
import { en, type MessageKey } from './en.js';
import { de } from './de.js';

export type { MessageKey };
export const LANGUAGES = { en: 'English', de: 'Deutsch' } as const;
export type Language = keyof typeof LANGUAGES;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { en, de };
const STORAGE_KEY = 'keyward.lang';
// The choice is also a cookie, so the pages the server renders (consent, no access) speak
// it too, and a choice made there holds here (server/http/pages/pageLanguage.ts).
const COOKIE = 'keyward_lang';
const YEAR_SECONDS = 365 * 24 * 3600;
const isLanguage = (x: string | null | undefined): x is Language => !!x && Object.hasOwn(LANGUAGES, x);

const cookieChoice = () =>
  (globalThis.document?.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([name, value]) => name === COOKIE && isLanguage(value))?.[1] as Language | undefined;

/** The remembered choice (the cookie, newer when a server page set it), else the first browser language we speak, else English. */
function initialLanguage(): Language {
  const saved = cookieChoice() ?? globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

let current: Language = initialLanguage();
const formatters = new Map<string, IntlMessageFormat>();

export const language = (): Language => current;

export function setLanguage(lang: Language): void {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.cookie = `${COOKIE}=${lang}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`;
  document.documentElement.lang = lang;
}

export type Values = Record<string, string | number | Date>;

export function t(key: MessageKey, values?: Values): string {
  const id = `${current}:${key}`;
  let f = formatters.get(id);
  if (!f) {
    f = new IntlMessageFormat(CATALOGUES[current][key], current);
    formatters.set(id, f);
  }
  return String(f.format(values));
}

/**
 * The locale dates are written in: the browser's own region when it speaks the page's language
 * (en-GB writes 6 Dec 2026, 14:05; en-US Dec 6, 2026, 2:05 PM), else the page's language.
 */
export function dateLocale(): string {
  const own = (globalThis.navigator?.languages ?? []).find((tag) => tag.toLowerCase().split('-')[0] === current);
  return own ?? current;
}

/** A date and time in the page's language, in the browser's regional form of it. */
export function formatDateTime(iso: string | Date): string {
  return new Intl.DateTimeFormat(dateLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | Date): string {
  return new Intl.DateTimeFormat(dateLocale(), { dateStyle: 'medium' }).format(new Date(iso));
}
