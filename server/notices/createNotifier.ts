// Stores notices for the user and sends them out. Outbound delivery runs in the
// background with retries: a slow or broken mail server never delays a sign-in.
import type { Logger } from 'pino';
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import type { AuditEvent, NoticeAddressStore, NoticeStore, UserStore } from '../storage/port.js';
import { noticesFor } from './noticePolicy.js';
import type { LocalNotice, OutboundChannel, OutboundNotice } from './outboundChannels.js';
import { mailText } from '../mail/mailCatalogue.js';
import { confirmedAddress } from './confirmedAddress.js';

export interface NotifierDeps {
  store: NoticeStore;
  users: Pick<UserStore, 'findById'>;
  /** Where notices are mailed: the confirmed address, never the username. */
  addresses: Pick<NoticeAddressStore, 'findConfirmed'>;
  channels: OutboundChannel[];
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Delays between delivery attempts (ms); the defaults retry over about half a minute. */
  retryDelaysMs?: number[];
}

export function createNotifier(deps: NotifierDeps) {
  const delays = deps.retryDelaysMs ?? [1000, 5000, 25000];
  const inFlight = new Set<Promise<void>>();

  async function deliver(channel: OutboundChannel, notice: OutboundNotice, local: LocalNotice): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await channel.deliver(notice, local);
        return;
      } catch (err) {
        const wait = delays[attempt];
        if (wait === undefined) {
          deps.logger.error({ err, channel: channel.name, noticeId: notice.id }, 'notice delivery failed for good');
          return;
        }
        deps.logger.warn({ err, channel: channel.name, noticeId: notice.id, attempt: attempt + 1 }, 'notice delivery failed; retrying');
        await new Promise((r) => setTimeout(r, wait).unref());
      }
    }
  }

  return {
    /** Audit listener: turns the event into the notices the policy names. */
    async onAuditEvent(e: AuditEvent): Promise<void> {
      const texts = noticesFor(e);
      if (texts.length === 0 || !e.userId) return;
      const user = await deps.users.findById(e.userId);
      if (!user) return;
      const email = deps.channels.length ? await confirmedAddress(deps.addresses, user) : null;
      const language = user.language ?? 'en';
      for (const t of texts) {
        const id = newId(deps.random);
        const createdAt = deps.clock.now();
        // Stored and posted in English, as before (the pages show each notice in their own
        // language by its type); mailed in the person's.
        const message = mailText('en', t.words);
        await deps.store.add({ id, userId: user.id, type: t.type, message, createdAt, readAt: null });
        const outbound = { id, type: t.type, message, createdAt: new Date(createdAt).toISOString(), user: { id: user.id, username: user.username, displayName: user.displayName, email } };
        const local = { language, message: mailText(language, t.words) };
        for (const channel of deps.channels) {
          const p = deliver(channel, outbound, local).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
      }
    },

    /** Resolves once every delivery started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
