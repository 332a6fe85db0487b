// OpenID Connect Back-Channel Logout 1.0: when a Keyward session ends, for any reason, every
// client that got a grant in it and registered a backchannel_logout_uri is sent a signed
// logout token. Owed logouts are written to a queue in the database first (logoutQueue in
// both stores) and delivered from there: a client that is down is retried with a growing
// back-off, a restart loses nothing, and each delivery is claimed by one instance at a time.
// Delivery starts at once in the background; runDue() (runServer's timer, tests) takes
// whatever else is due, retries included.
import type { Logger } from 'pino';
import type Provider from 'oidc-provider';
import { newId, type Clock, type Random } from '../clock.js';
import type { LogoutDelivery, LogoutQueueStore } from '../storage/port.js';
import type { OidcLogout } from './endOidcWithSession.js';
import type { OwedLogout } from './keywardSid.js';
import { logoutToken } from './logoutToken.js';

/** A delivery in hand: another instance may take it over only after this (its holder died). */
const LEASE_MS = 5 * 60_000;
/** Well inside the lease: a hanging client does not make two instances deliver at once. */
const REQUEST_TIMEOUT_MS = 10_000;
const BATCH = 20;
/** 30 s, 1, 2, 4 ... minutes, at most an hour apart; given up after a day or so of trying. */
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3600_000;
export const MAX_ATTEMPTS = 30;
/** A delivered (or given-up) logout is remembered this long: the same one owed again is a no-op. */
const KEEP_DONE_MS = 7 * 86400_000;

export function retryDelay(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);
}

export interface BackchannelDeps {
  queue: LogoutQueueStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  provider: () => Promise<Provider>;
}

interface ClientLike {
  clientId: string;
  backchannelLogoutUri?: string;
}

export function createBackchannelLogout(deps: BackchannelDeps) {
  const { queue, clock, logger } = deps;
  const running = new Set<Promise<unknown>>();

  /** Queues what is owed, then starts delivering it (not waited for). */
  async function owe(logouts: OwedLogout[]): Promise<void> {
    if (!logouts.length) return;
    await queue.enqueue(
      logouts.map((l) => ({ id: `${l.sid}|${l.clientId}`, ...l })),
      clock.now(),
    );
    const run = runDue().catch((err: unknown) => logger.warn({ err }, 'back-channel logout delivery failed'));
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  /** The logouts owed for grants revoked with ended Keyward sessions (endOidcWithSession.ts). */
  function onSessionsEnded(ended: OidcLogout): Promise<void> {
    return owe(
      ended.grants.flatMap((g) => (g.clientId && g.accountId && g.keywardSession ? [{ clientId: g.clientId, sub: g.accountId, sid: g.keywardSession }] : [])),
    );
  }

  async function deliver(provider: Provider, d: LogoutDelivery): Promise<boolean> {
    const now = clock.now();
    const client = (await provider.Client.find(d.clientId)) as ClientLike | undefined;
    // Nothing to send: a client without a back-channel URI (or one removed since).
    if (!client?.backchannelLogoutUri) {
      await queue.finish(d.id, d.round, now + KEEP_DONE_MS);
      return false;
    }
    try {
      const token = await logoutToken(provider, client, { sub: d.sub, sid: d.sid, jti: newId(deps.random) });
      const res = await fetch(client.backchannelLogoutUri, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.body?.cancel();
      // §2.8: 200 (or 204) is success; anything else, the client did not log out.
      if (res.status !== 200 && res.status !== 204) throw new Error(`answered ${res.status}`);
      await queue.finish(d.id, d.round, clock.now() + KEEP_DONE_MS);
      return true;
    } catch (err) {
      const attempts = d.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        logger.warn({ clientId: d.clientId, attempts, reason: (err as Error).message }, 'back-channel logout given up');
        await queue.finish(d.id, d.round, clock.now() + KEEP_DONE_MS);
      } else {
        logger.info({ clientId: d.clientId, attempts, reason: (err as Error).message }, 'back-channel logout failed; will retry');
        await queue.retry(d.id, d.round, clock.now() + retryDelay(attempts));
      }
      return false;
    }
  }

  /** Claims and delivers every logout due now; returns how many were delivered. */
  async function runDue(): Promise<number> {
    let delivered = 0;
    const provider = await deps.provider();
    for (;;) {
      const batch = await queue.claim(clock.now(), LEASE_MS, BATCH);
      if (!batch.length) return delivered;
      const results = await Promise.all(batch.map((d) => deliver(provider, d)));
      delivered += results.filter(Boolean).length;
      if (batch.length < BATCH) return delivered;
    }
  }

  return {
    owe,
    onSessionsEnded,
    /** Waits for deliveries already started, then delivers whatever else is due. */
    async runDue(): Promise<number> {
      await Promise.allSettled([...running]);
      return runDue();
    },
  };
}

export type BackchannelLogout = ReturnType<typeof createBackchannelLogout>;
