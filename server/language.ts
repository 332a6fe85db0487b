// The languages Keyward speaks, in its pages (client/src/i18n, server/http/pages) and in its
// mails (server/mail/mailCatalogue.ts). One list, so a person's stored choice is always one of them.
export const LANGUAGES = { en: 'English', de: 'Deutsch' } as const;
export type Language = keyof typeof LANGUAGES;

export const isLanguage = (x: unknown): x is Language => typeof x === 'string' && Object.hasOwn(LANGUAGES, x);
