import type { Language } from '../language.js';
import { mailText } from '../mail/mailCatalogue.js';
import type { Mail } from './outboundChannels.js';

/** A security notice by e-mail, in the reader's language. */
export function noticeMail(m: { to: string; language: Language; displayName: string; productName: string; message: string }): Mail {
  return {
    to: m.to,
    subject: mailText(m.language, { key: 'notice.subject', values: { product: m.productName } }),
    text: mailText(m.language, { key: 'notice.body', values: { name: m.displayName, message: m.message } }),
  };
}
