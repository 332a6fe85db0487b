import type { Language } from '../language.js';
import { mailText } from '../mail/mailCatalogue.js';
import type { Mail } from '../notices/outboundChannels.js';

/**
 * The password-reset mail, in the account's language: the link, how long it works, and what else
 * it will take. With PASSWORDS=off (`newPasskey`) the link leads to a new passkey, and says so.
 */
export function resetMail(m: { to: string; language: Language; user: { username: string; displayName: string }; productName: string; url: string; minutes: number; newPasskey?: boolean }): Mail {
  const values = { name: m.user.displayName, username: m.user.username, product: m.productName, url: m.url, minutes: String(m.minutes) };
  return {
    to: m.to,
    subject: mailText(m.language, { key: m.newPasskey ? 'reset.subject.passkey' : 'reset.subject', values }),
    text: mailText(m.language, { key: m.newPasskey ? 'reset.body.passkey' : 'reset.body', values }),
  };
}
