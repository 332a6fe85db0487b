import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { createSmtpMailer, smtpChannel, webhookChannel, type Mailer, type OutboundChannel } from './outboundChannels.js';

/** The mail server configured for notices and address confirmations; null without SMTP_URL. */
export function createNoticeMailer(config: Config): Mailer | null {
  const { smtpUrl, smtpFrom } = config.notices;
  return smtpUrl ? createSmtpMailer({ url: smtpUrl, from: smtpFrom }) : null;
}

/** The channels configured (none by default: notices then live only in the user's list). */
export function createOutboundChannels(config: Config, clock: Clock, mailer: Mailer | null): OutboundChannel[] {
  const { webhookUrl, webhookSecret } = config.notices;
  const channels: OutboundChannel[] = [];
  if (mailer) channels.push(smtpChannel({ mailer, productName: config.rpName }));
  if (webhookUrl && webhookSecret) channels.push(webhookChannel({ url: webhookUrl, secret: webhookSecret, now: clock.now }));
  return channels;
}
