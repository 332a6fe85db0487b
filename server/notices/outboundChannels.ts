// Where notices go besides the user's notice list: e-mail (SMTP) or a signed webhook.
import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Language } from '../language.js';
import { noticeMail } from './noticeMail.js';

export interface OutboundNotice {
  id: string;
  type: string;
  message: string;
  createdAt: string;
  /** `email` is the address the person confirmed by a link; null when there is none. */
  user: { id: string; username: string; displayName: string; email: string | null };
}

/** The notice in the words of the person it is for (the language of the pages they last used). */
export interface LocalNotice {
  language: Language;
  message: string;
}

export interface OutboundChannel {
  name: string;
  /** Throws on failure; the notifier retries. */
  deliver(n: OutboundNotice, local: LocalNotice): Promise<void>;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws when the mail server refuses or cannot be reached. */
export interface Mailer {
  send(m: Mail): Promise<void>;
}

export function createSmtpMailer(opts: { url: string; from: string }): Mailer {
  // nodemailer is loaded with the first mail: most processes of a deployment never send one.
  let transport: Promise<Transporter> | undefined;
  return {
    async send(m) {
      transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(opts.url));
      await (await transport).sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}

/**
 * E-mail to the address the person confirmed, and only that one: a username that looks like
 * an address proves nothing about who reads that mailbox.
 */
export function smtpChannel(opts: { mailer: Mailer; productName: string }): OutboundChannel {
  return {
    name: 'smtp',
    async deliver(n, local) {
      if (!n.user.email) return;
      await opts.mailer.send(noticeMail({ to: n.user.email, language: local.language, displayName: n.user.displayName, productName: opts.productName, message: local.message }));
    },
  };
}

/**
 * POSTs the notice as JSON with `X-Keyward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "t.body">`, so the receiver can check origin and freshness (as Stripe-style webhooks).
 */
export function webhookChannel(opts: { url: string; secret: string; now: () => number; timeoutMs?: number }): OutboundChannel {
  return {
    name: 'webhook',
    async deliver(n) {
      const body = JSON.stringify(n);
      const t = Math.floor(opts.now() / 1000);
      const v1 = createHmac('sha256', opts.secret).update(`${t}.${body}`).digest('hex');
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Keyward-Signature': `t=${t},v1=${v1}` },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
