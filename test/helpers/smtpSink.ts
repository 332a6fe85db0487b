// A real SMTP server on a free loopback port that keeps every message it is handed, for
// tests of what Keyward mails and to whom.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { Env } from '../../server/config.js';

export interface SentMail {
  to: string;
  /** Headers and body; a quoted-printable body is decoded (UTF-8), so links and words read as sent. */
  raw: string;
  /** The Subject header, its encoded words (RFC 2047) decoded. */
  subject: string;
  /** The body alone, decoded like `raw`, with \n line ends. */
  text: string;
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

function decodeQuotedPrintable(s: string): string {
  // Percent-escapes as a carrier: decodeURIComponent turns the bytes back into UTF-8 text.
  return decodeURIComponent(s.replace(/=\r?\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/g, '%$1'));
}

function decode(raw: string): string {
  if (/content-transfer-encoding:\s*base64/i.test(raw)) {
    const at = raw.search(/\r?\n\r?\n/);
    return raw.slice(0, at) + '\r\n\r\n' + Buffer.from(raw.slice(at).replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(raw)) return raw;
  return decodeQuotedPrintable(raw);
}

/** An unfolded header's value, RFC 2047 encoded words (Q or B, UTF-8) decoded. */
function headerValue(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)) ?? '';
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
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
        const decoded = decode(raw);
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          raw: decoded,
          subject: headerValue(raw, 'Subject'),
          text: decoded.slice(decoded.search(/\r?\n\r?\n/)).trim().replace(/\r\n/g, '\n'),
        });
        callback();
      });
    },
  });
  // Port 0: a port picked free first could be taken before this listens.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, test = () => true, ms = 20_000) {
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

/**
 * A sink for the whole describe block, its URL put in `env` as SMTP_URL. Call it before the
 * app's own hook (useApp, useBrowserApp) so the app starts with this mail server.
 */
export function useSmtpSink(env: Env): SmtpSink {
  const sink = {} as SmtpSink;
  beforeAll(async () => {
    Object.assign(sink, await startSmtpSink());
    env['SMTP_URL'] = sink.url;
  });
  afterAll(() => sink.close());
  return sink;
}
