import type { Language } from '../language.js';
import { mailText } from '../mail/mailCatalogue.js';
import type { Mail } from './outboundChannels.js';

/** The link that confirms an address for security notices, in the person's language. */
export function confirmationMail(m: { to: string; language: Language; displayName: string; productName: string; url: string }): Mail {
  const values = { name: m.displayName, product: m.productName, url: m.url };
  return {
    to: m.to,
    subject: mailText(m.language, { key: 'confirm.subject', values }),
    text: mailText(m.language, { key: 'confirm.body', values }),
  };
}
