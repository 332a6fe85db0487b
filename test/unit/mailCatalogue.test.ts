// The mail catalogue: every mail kind written in every language the pages speak, with the same
// placeholders, and each security notice in the words the pages use for it (client catalogue).
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en as clientEn } from '../../client/src/i18n/en.js';
import { de as clientDe } from '../../client/src/i18n/de.js';
import { LANGUAGES, type Language } from '../../server/language.js';
import { MAIL_MESSAGES, mailText, type MailKey } from '../../server/mail/mailCatalogue.js';
import { noticesFor } from '../../server/notices/noticePolicy.js';
import { noticeMail } from '../../server/notices/noticeMail.js';
import { confirmationMail } from '../../server/notices/confirmationMail.js';
import { resetMail } from '../../server/passwordReset/resetMail.js';
import type { AuditEvent } from '../../server/storage/port.js';

const languages = Object.keys(LANGUAGES) as Language[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const event = (type: string, outcome: AuditEvent['outcome'], details: Record<string, unknown> = {}): AuditEvent => ({
  id: 'e', at: 0, type, outcome, userId: 'u1', ip: null, userAgent: null, requestId: null, details,
});

/** One audit event for every notice the policy writes. */
const EVERY_NOTICE: AuditEvent[] = [
  ...['webauthn', 'totp', 'recovery_code'].flatMap((factor) => [event('factor.added', 'success', { factor }), event('factor.removed', 'success', { factor })]),
  event('recovery_codes.issued', 'success', { reason: 'regenerated' }),
  event('signin.recovery_code', 'success', { remaining: 1 }),
  event('signin.recovery_code', 'success', { remaining: 3, stepUp: true }),
  event('signin.recovery_code', 'success', { remaining: 9 }),
  event('signin.recovery_code', 'success', { remaining: 0, reset: true }),
  event('webauthn.counter_regressed', 'failure'),
  event('webauthn.model_revoked', 'info', { name: 'Blue key', model: 'Key 5', status: 'REVOKED' }),
  event('lockout', 'info'),
  event('password.changed', 'success'),
  event('password.removed', 'success'),
  event('password.set', 'success'),
  event('password.reset', 'success'),
  event('admin.reset_mfa', 'success'),
];

describe('mail catalogue', () => {
  it('has every mail in every page language, translated, with the same placeholders', () => {
    const keys = Object.keys(MAIL_MESSAGES.en) as MailKey[];
    for (const lang of languages) {
      expect(Object.keys(MAIL_MESSAGES[lang]).sort(), lang).toEqual([...keys].sort());
      for (const key of keys) {
        const text = MAIL_MESSAGES[lang][key];
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(MAIL_MESSAGES.en[key]));
        if (lang !== 'en') expect(text, `${lang} ${key} is still English`).not.toBe(MAIL_MESSAGES.en[key]);
      }
    }
  });

  it('writes every security notice the policy sends in every language, every value filled in', () => {
    const used = new Set<string>();
    for (const e of EVERY_NOTICE) {
      for (const n of noticesFor(e)) {
        used.add(n.words.key);
        for (const lang of languages) {
          const text = mailText(lang, n.words);
          expect(text, `${lang} ${n.type}`).not.toMatch(/[{}]/);
          expect(text.length, `${lang} ${n.type}`).toBeGreaterThan(20);
        }
      }
    }
    // No notice words in the catalogue that the policy never sends (nor the reverse).
    const noticeKeys = Object.keys(MAIL_MESSAGES.en).filter((k) => k.startsWith('notice.') && k !== 'notice.subject' && k !== 'notice.body');
    expect([...used].sort()).toEqual(noticeKeys.sort());
    expect(mailText('de', noticesFor(event('signin.recovery_code', 'success', { remaining: 2 }))[1]!.words)).toContain('Nur noch 2 Wiederherstellungscodes');
  });

  it('words each notice as the pages do, in each language', () => {
    const catalogues = { en: clientEn, de: clientDe } as const;
    // Mail key -> the page's message and the values it is formatted with.
    const SAME: [MailKey, keyof typeof clientEn, Record<string, string>?][] = [
      ...(['webauthn', 'totp', 'other'] as const).flatMap((f): [MailKey, keyof typeof clientEn, Record<string, string>][] => [
        [`notice.factor.added.${f}`, 'notice.factor.added', { factor: f }],
        [`notice.factor.removed.${f}`, 'notice.factor.removed', { factor: f }],
      ]),
      ['notice.recovery_codes.regenerated', 'notice.recovery_codes.regenerated'],
      ['notice.recovery_code.used', 'notice.recovery_code.used'],
      ['notice.recovery_code.used_to_confirm', 'notice.recovery_code.usedToConfirm'],
      ['notice.recovery_code.used_to_reset', 'notice.recovery_code.usedToReset'],
      ['notice.key.clone_suspected', 'notice.key.clone_suspected'],
      ['notice.lockout', 'notice.lockout'],
      ['notice.password.changed', 'notice.password.changed'],
      ['notice.password.reset', 'notice.password.reset'],
      ['notice.mfa.reset', 'notice.mfa.reset'],
    ];
    for (const lang of languages) {
      for (const [mailKey, pageKey, values] of SAME) {
        const page = String(new IntlMessageFormat(catalogues[lang][pageKey], lang).format(values));
        expect(mailText(lang, { key: mailKey }), `${lang} ${mailKey}`).toBe(page);
      }
    }
  });

  it('words the reset mail for a new passkey when passwords are switched off, in both languages', () => {
    const user = { username: 'erin', displayName: 'Erin' };
    const base = { to: 'e@example.org', user, productName: 'Keyward', url: 'https://k.test/reset-password?token=t', minutes: 15, newPasskey: true };
    const en = resetMail({ ...base, language: 'en' });
    expect(en.subject).toBe('Keyward: sign in again with a new passkey');
    expect(en.text).toContain('Open this link within 15 minutes to add a new passkey:\n\nhttps://k.test/reset-password?token=t');
    // Not a word of passwords (the link's own path aside).
    expect(en.text.replace(base.url, '')).not.toMatch(/password/i);
    const de = resetMail({ ...base, language: 'de' });
    expect(de.subject).toBe('Keyward: mit einem neuen Passkey wieder anmelden');
    expect(de.text).toContain('einen neuen Passkey hinzuzufügen');
    expect(de.text.replace(base.url, '')).not.toMatch(/Passwort/);
  });

  it('builds each mail kind in the language asked for', () => {
    const user = { username: 'erin', displayName: 'Erin' };
    const mails = (language: Language) => [
      noticeMail({ to: 'e@example.org', language, displayName: 'Erin', productName: 'Keyward', message: mailText(language, { key: 'notice.lockout' }) }),
      confirmationMail({ to: 'e@example.org', language, displayName: 'Erin', productName: 'Keyward', url: 'https://k.test/confirm-email?token=t' }),
      resetMail({ to: 'e@example.org', language, user, productName: 'Keyward', url: 'https://k.test/reset-password?token=t', minutes: 15 }),
    ];
    const [notice, confirm, reset] = mails('de');
    expect(notice!.subject).toBe('Keyward: Sicherheitshinweis');
    expect(notice!.text).toContain('Hallo Erin,\n\nDie Anmeldung bei Ihrem Konto wurde nach wiederholten Fehlversuchen pausiert.');
    expect(confirm!.subject).toBe('Keyward: Bestätigen Sie Ihre Adresse für Sicherheitshinweise');
    expect(confirm!.text).toContain('https://k.test/confirm-email?token=t');
    expect(reset!.subject).toBe('Keyward: Passwort zurücksetzen');
    expect(reset!.text).toContain('innerhalb von 15 Minuten');
    expect(reset!.text).toContain('„erin“');
    const english = mails('en');
    expect(english.map((m) => m.subject)).toEqual(['Keyward: security notice', 'Keyward: confirm your address for security notices', 'Keyward: reset your password']);
    expect(english[2]!.text).toContain('Open this link within 15 minutes');
  });
});
