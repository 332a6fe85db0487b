// The language of a page Keyward renders on the server, chosen as the client chooses it
// (client/src/i18n/i18n.ts): the person's remembered choice (the keyward_lang cookie the
// client and these pages both write), else the first browser language Keyward speaks
// (Accept-Language, by preference), else English. `?lang=` on a server page is its language
// switch: it is remembered like a choice made in the client.
import type { ParsedUrlQuery } from 'node:querystring';
import { cookieValues } from '../sessionCookie.js';
import { isLanguage, LANGUAGES, type Language } from '../../language.js';

export const PAGE_LANGUAGES = LANGUAGES;
export type PageLanguage = Language;
export const LANGUAGE_COOKIE = 'keyward_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

export const isPageLanguage = isLanguage;

/** What choosing the language reads and writes: a Koa Context, or the lean forward-auth exchange. */
export interface LanguageAsker {
  readonly query: ParsedUrlQuery;
  get(field: string): string;
  append(field: string, value: string): void;
}

/** Accept-Language's tags by their q weights, highest first (ties in the order given). */
function acceptedLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);
}

/**
 * The language the pages show this person without a `?lang=`: their remembered choice, else the
 * first browser language Keyward speaks; undefined when neither names one (the pages then
 * fall back to English). API calls from the pages carry both, so the server knows it there too.
 */
export function chosenLanguage(ctx: Pick<LanguageAsker, 'get'>): PageLanguage | undefined {
  const remembered = cookieValues(ctx.get('Cookie'), LANGUAGE_COOKIE).find(isPageLanguage);
  if (remembered) return remembered;
  for (const tag of acceptedLanguages(ctx.get('Accept-Language'))) {
    const base = tag.split('-')[0];
    if (isPageLanguage(base)) return base;
  }
  return undefined;
}

export function pageLanguage(ctx: LanguageAsker): PageLanguage {
  const asked = ctx.query['lang'];
  if (isPageLanguage(asked)) {
    ctx.append('Set-Cookie', `${LANGUAGE_COOKIE}=${asked}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`);
    return asked;
  }
  return chosenLanguage(ctx) ?? 'en';
}
