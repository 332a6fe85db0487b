// Where notices go besides the user's notice list: e-mail (SMTP) or a signed webhook.
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface OutboundNotice {
  id: string;
  type: string;
  message: string;
  createdAt: string;
  user: { id: string; username: string; displayName: string };
}

export interface OutboundChannel {
  name: string;
  /** Throws on failure; the notifier retries. */
  deliver(n: OutboundNotice): Promise<void>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E-mail to users whose username is an address (Keyward stores no separate e-mail). */
export function smtpChannel(opts: { url: string; from: string; productName: string }): OutboundChannel {
  const transport = nodemailer.createTransport(opts.url);
  return {
    name: 'smtp',
    async deliver(n) {
      if (!EMAIL.test(n.user.username)) return;
      await transport.sendMail({
        from: opts.from,
        to: n.user.username,
        subject: `${opts.productName}: security notice`,
        text: `Hello ${n.user.displayName},\n\n${n.message}\n\nIf this was not you, sign in and review your security settings.\n`,
      });
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
