// The address security notices are mailed to: set by the person in settings, used only once
// they open the link sent to it. The link carries a random token; the store keeps its hash,
// and opening the link spends it (one atomic removal), so a link works once and expires.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock, Random } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { NoticeAddressStore } from '../storage/port.js';
import type { Mailer } from './outboundChannels.js';
import type { Language } from '../language.js';
import { confirmationMail } from './confirmationMail.js';

/** How long a confirmation link works. */
export const ADDRESS_CONFIRMATION_TTL_MS = 24 * 3600_000;

export interface NoticeAddressServiceDeps {
  store: NoticeAddressStore;
  /** null when the server has no SMTP_URL: there is then nothing to confirm. */
  mailer: Mailer | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  productName: string;
  /** The page that posts the token back, e.g. https://sign-in.example/confirm-email?token=… */
  confirmUrl(token: string): string;
}

export interface NoticeAddressView {
  /** false when the server sends no e-mail. */
  available: boolean;
  address: string | null;
  confirmed: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createNoticeAddressService(deps: NoticeAddressServiceDeps) {
  const { store, clock } = deps;
  const inFlight = new Set<Promise<void>>();

  return {
    async view(userId: string): Promise<NoticeAddressView> {
      const available = deps.mailer !== null;
      const pending = await store.findPending(userId, clock.now());
      if (pending) return { available, address: pending.address, confirmed: false };
      const confirmed = await store.findConfirmed(userId);
      return { available, address: confirmed?.address ?? null, confirmed: confirmed !== null };
    },

    /** Stores the address as pending and mails it a link; the confirmed one stays until then. */
    async request(user: { id: string; displayName: string; language: Language | null }, address: string): Promise<void> {
      const mailer = deps.mailer;
      if (!mailer) throw new KeywardError('invalid_request', 'This server sends no e-mail, so there is no address to set.');
      const token = deps.random.bytes(32).toString('base64url');
      const now = clock.now();
      await store.savePending({ tokenHash: hashToken(token), userId: user.id, address, createdAt: now, expiresAt: now + ADDRESS_CONFIRMATION_TTL_MS });
      const mail = confirmationMail({ to: address, language: user.language ?? 'en', displayName: user.displayName, productName: deps.productName, url: deps.confirmUrl(token) });
      // In the background: a slow mail server does not hold up the answer (202).
      const p = mailer
        .send(mail)
        .catch((err: unknown) => deps.logger.error({ err, userId: user.id }, 'address confirmation mail failed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },

    /** Spends the token; the address becomes the person's notice address. */
    async confirm(token: string): Promise<{ userId: string; address: string }> {
      const pending = await store.consumePending(hashToken(token));
      if (!pending || pending.expiresAt <= clock.now()) {
        throw new KeywardError('invalid_request', 'This link has expired or was already used. Set your address again to get a new one.');
      }
      await store.setConfirmed({ userId: pending.userId, address: pending.address, confirmedAt: clock.now() });
      return { userId: pending.userId, address: pending.address };
    },

    remove: (userId: string) => store.removeForUser(userId),

    /** Resolves once every confirmation mail started so far has been handed over (shutdown, tests). */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

export type NoticeAddressService = ReturnType<typeof createNoticeAddressService>;
