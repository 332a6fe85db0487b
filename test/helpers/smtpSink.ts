// A real SMTP server on a free loopback port that keeps every message it is handed, for
// tests of what Keyward mails and to whom.
import { SMTPServer } from 'smtp-server';
import { freePort } from './freePort.js';

export interface SentMail {
  to: string;
  /** Headers and body; a quoted-printable body is decoded, so links read as sent. */
  raw: string;
}

export interface SmtpSink {
  url: string;
  mails: SentMail[];
  /** The first mail to `to` matching `test`, waiting up to `ms` for it to arrive. */
  waitFor(to: string, test?: (m: SentMail) => boolean, ms?: number): Promise<SentMail>;
  /** The link in a confirmation mail. */
  linkIn(mail: SentMail): URL;
  close(): Promise<void>;
}

function decode(raw: string): string {
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(raw)) return raw;
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SentMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw: decode(raw) });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, test = () => true, ms = 5000) {
      const end = Date.now() + ms;
      for (;;) {
        const found = mails.find((m) => m.to === to && test(m));
        if (found) return found;
        if (Date.now() > end) throw new Error(`no mail to ${to} within ${ms} ms; got ${JSON.stringify(mails.map((m) => m.to))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    linkIn(mail) {
      const m = /(https?:\/\/\S+\/confirm-email\?token=[\w%-]+)/.exec(mail.raw);
      if (!m) throw new Error('no confirmation link in the mail');
      return new URL(m[1]!);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
