import type { Mail } from '../notices/outboundChannels.js';

/** The password-reset mail: the link, how long it works, and what else it will take. */
export function resetMail(m: { to: string; user: { username: string; displayName: string }; productName: string; url: string; minutes: number }): Mail {
  return {
    to: m.to,
    subject: `${m.productName}: reset your password`,
    text:
      `Hello ${m.user.displayName},\n\nSomeone asked to reset the password of your ${m.productName} account "${m.user.username}". ` +
      `Open this link within ${m.minutes} minutes to choose a new one:\n\n${m.url}\n\n` +
      'You will confirm it is you with your security key, your authenticator app or a recovery code; the link alone changes nothing. ' +
      'It works once. If you did not ask for this, ignore this message: your password stays as it is.\n',
  };
}
