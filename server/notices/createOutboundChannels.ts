import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { smtpChannel, webhookChannel, type OutboundChannel } from './outboundChannels.js';

/** The channels configured (none by default: notices then live only in the user's list). */
export function createOutboundChannels(config: Config, clock: Clock): OutboundChannel[] {
  const { smtpUrl, smtpFrom, webhookUrl, webhookSecret } = config.notices;
  const channels: OutboundChannel[] = [];
  if (smtpUrl) channels.push(smtpChannel({ url: smtpUrl, from: smtpFrom, productName: config.rpName }));
  if (webhookUrl && webhookSecret) channels.push(webhookChannel({ url: webhookUrl, secret: webhookSecret, now: clock.now }));
  return channels;
}
