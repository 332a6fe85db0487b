// The words of every mail Keyward sends (security notices, the address confirmation, the
// password-reset link), in the languages the pages speak. Its own catalogue, not the client's
// (client/src/i18n): the server build compiles server/ alone (tsconfig.build.json rootDir) and
// ships without the client's ICU formatter. test/unit/mailCatalogue.test.ts holds the two
// together: every key in both languages, and each notice worded as the pages word it.
// Plain text: {value} is filled in as given (mails are text/plain, nothing to escape).
import type { Language } from '../language.js';

const en = {
  'notice.subject': '{product}: security notice',
  'notice.body': 'Hello {name},\n\n{message}\n\nIf this was not you, sign in and review your security settings.\n',
  // With the article: "An authenticator app", never "A authenticator app".
  'notice.factor.added.webauthn': 'A security key was added to your account.',
  'notice.factor.added.totp': 'An authenticator app was added to your account.',
  'notice.factor.added.other': 'A second factor was added to your account.',
  'notice.factor.removed.webauthn': 'A security key was removed from your account.',
  'notice.factor.removed.totp': 'An authenticator app was removed from your account.',
  'notice.factor.removed.other': 'A second factor was removed from your account.',
  'notice.recovery_codes.regenerated': 'A new set of recovery codes was made for your account; the old codes no longer work.',
  'notice.recovery_code.used': 'A recovery code was used to sign in to your account.',
  'notice.recovery_code.used_to_confirm': 'A recovery code was used to confirm a change to your account.',
  'notice.recovery_code.used_to_reset': 'A recovery code was used to confirm a password reset of your account.',
  'notice.recovery_codes.low.one': 'Only 1 recovery code is left. Generate a new set in your security settings.',
  'notice.recovery_codes.low.other': 'Only {remaining} recovery codes are left. Generate a new set in your security settings.',
  'notice.key.clone_suspected': 'One of your security keys looked copied and was refused. Check your keys in your security settings.',
  'notice.key.model_revoked': 'Your security key "{name}" ({model}) is of a model reported as no longer safe ({status}). Add another key, then remove this one in your security settings.',
  'notice.lockout': 'Sign-in to your account was paused after repeated failed attempts.',
  'notice.password.changed': 'Your password was changed, and your other sessions were signed out.',
  'notice.password.reset': 'Your password was reset with a link sent to your address and one of your second factors, and your other sessions were signed out.',
  'notice.password.removed': 'The password of your account was removed: your passkeys sign you in, and your other sessions were signed out.',
  'notice.password.set': 'A password was set for your account, which signed in with passkeys only.',
  'notice.mfa.reset': 'An administrator removed your second factors and your password. Use the link they give you to set a new password and a new second factor.',
  'confirm.subject': '{product}: confirm your address for security notices',
  'confirm.body':
    'Hello {name},\n\nOpen this link to receive {product} security notices at this address:\n\n{url}\n\n' +
    'The link works once, for 24 hours. If you did not ask for this, ignore this message.\n',
  'reset.subject': '{product}: reset your password',
  'reset.body':
    'Hello {name},\n\nSomeone asked to reset the password of your {product} account "{username}". ' +
    'Open this link within {minutes} minutes to choose a new one:\n\n{url}\n\n' +
    'You will confirm it is you with your security key, your authenticator app or a recovery code; the link alone changes nothing. ' +
    'It works once. If you did not ask for this, ignore this message: your password stays as it is.\n',
  // PASSWORDS=off: the link's page adds a passkey, there is no password to choose.
  'reset.subject.passkey': '{product}: sign in again with a new passkey',
  'reset.body.passkey':
    'Hello {name},\n\nSomeone asked to regain access to your {product} account "{username}". ' +
    'Open this link within {minutes} minutes to add a new passkey:\n\n{url}\n\n' +
    'You will confirm it is you with your security key, your authenticator app or a recovery code; the link alone changes nothing. ' +
    'It works once. If you did not ask for this, ignore this message: your account stays as it is.\n',
};

export type MailKey = keyof typeof en;

const de: Record<MailKey, string> = {
  'notice.subject': '{product}: Sicherheitshinweis',
  'notice.body': 'Hallo {name},\n\n{message}\n\nWenn Sie das nicht waren, melden Sie sich an und prüfen Sie Ihre Sicherheitseinstellungen.\n',
  'notice.factor.added.webauthn': 'Ihrem Konto wurde ein Sicherheitsschlüssel hinzugefügt.',
  'notice.factor.added.totp': 'Ihrem Konto wurde eine Authenticator-App hinzugefügt.',
  'notice.factor.added.other': 'Ihrem Konto wurde ein zweiter Faktor hinzugefügt.',
  'notice.factor.removed.webauthn': 'Aus Ihrem Konto wurde ein Sicherheitsschlüssel entfernt.',
  'notice.factor.removed.totp': 'Aus Ihrem Konto wurde eine Authenticator-App entfernt.',
  'notice.factor.removed.other': 'Aus Ihrem Konto wurde ein zweiter Faktor entfernt.',
  'notice.recovery_codes.regenerated': 'Für Ihr Konto wurden neue Wiederherstellungscodes erzeugt; die alten Codes gelten nicht mehr.',
  'notice.recovery_code.used': 'Für eine Anmeldung bei Ihrem Konto wurde ein Wiederherstellungscode verwendet.',
  'notice.recovery_code.used_to_confirm': 'Mit einem Wiederherstellungscode wurde eine Änderung an Ihrem Konto bestätigt.',
  'notice.recovery_code.used_to_reset': 'Ein Wiederherstellungscode wurde verwendet, um das Zurücksetzen Ihres Passworts zu bestätigen.',
  'notice.recovery_codes.low.one': 'Nur noch 1 Wiederherstellungscode ist übrig. Erzeugen Sie in den Sicherheitseinstellungen neue.',
  'notice.recovery_codes.low.other': 'Nur noch {remaining} Wiederherstellungscodes sind übrig. Erzeugen Sie in den Sicherheitseinstellungen neue.',
  'notice.key.clone_suspected': 'Einer Ihrer Sicherheitsschlüssel sah kopiert aus und wurde abgewiesen. Prüfen Sie Ihre Schlüssel in den Sicherheitseinstellungen.',
  'notice.key.model_revoked': 'Ihr Sicherheitsschlüssel „{name}“ ({model}) ist ein Modell, das als nicht mehr sicher gemeldet wurde ({status}). Fügen Sie einen anderen Schlüssel hinzu und entfernen Sie dann diesen in den Sicherheitseinstellungen.',
  'notice.lockout': 'Die Anmeldung bei Ihrem Konto wurde nach wiederholten Fehlversuchen pausiert.',
  'notice.password.changed': 'Ihr Passwort wurde geändert, und Ihre anderen Sitzungen wurden abgemeldet.',
  'notice.password.reset': 'Ihr Passwort wurde mit einem an Ihre Adresse gesandten Link und einem Ihrer zweiten Faktoren zurückgesetzt; Ihre anderen Sitzungen wurden abgemeldet.',
  'notice.password.removed': 'Das Passwort Ihres Kontos wurde entfernt: Ihre Passkeys melden Sie an, und Ihre anderen Sitzungen wurden abgemeldet.',
  'notice.password.set': 'Für Ihr Konto, das sich nur mit Passkeys anmeldete, wurde ein Passwort festgelegt.',
  'notice.mfa.reset': 'Die Verwaltung hat Ihre zweiten Faktoren und Ihr Passwort entfernt. Mit dem Link, den Sie von ihr erhalten, legen Sie ein neues Passwort und einen neuen zweiten Faktor fest.',
  'confirm.subject': '{product}: Bestätigen Sie Ihre Adresse für Sicherheitshinweise',
  'confirm.body':
    'Hallo {name},\n\nÖffnen Sie diesen Link, um Sicherheitshinweise von {product} an diese Adresse zu erhalten:\n\n{url}\n\n' +
    'Der Link gilt einmal, 24 Stunden lang. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.\n',
  'reset.subject': '{product}: Passwort zurücksetzen',
  'reset.body':
    'Hallo {name},\n\njemand hat darum gebeten, das Passwort Ihres {product}-Kontos „{username}“ zurückzusetzen. ' +
    'Öffnen Sie diesen Link innerhalb von {minutes} Minuten, um ein neues zu wählen:\n\n{url}\n\n' +
    'Sie bestätigen mit Ihrem Sicherheitsschlüssel, Ihrer Authenticator-App oder einem Wiederherstellungscode, dass Sie es sind; der Link allein ändert nichts. ' +
    'Er gilt einmal. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.\n',
  'reset.subject.passkey': '{product}: mit einem neuen Passkey wieder anmelden',
  'reset.body.passkey':
    'Hallo {name},\n\njemand hat darum gebeten, wieder Zugang zu Ihrem {product}-Konto „{username}“ zu bekommen. ' +
    'Öffnen Sie diesen Link innerhalb von {minutes} Minuten, um einen neuen Passkey hinzuzufügen:\n\n{url}\n\n' +
    'Sie bestätigen mit Ihrem Sicherheitsschlüssel, Ihrer Authenticator-App oder einem Wiederherstellungscode, dass Sie es sind; der Link allein ändert nichts. ' +
    'Er gilt einmal. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Konto bleibt, wie es ist.\n',
};

export const MAIL_MESSAGES: Record<Language, Record<MailKey, string>> = { en, de };

/** Mail words to be written later, in whichever language the reader gets. */
export interface MailWords {
  key: MailKey;
  values?: Record<string, string>;
}

/** The message in `lang`, each {value} filled in once (a value's own braces stay as they are). */
export function mailText(lang: Language, words: MailWords): string {
  const values = words.values ?? {};
  return MAIL_MESSAGES[lang][words.key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
