// Brute-force limits for every guess (password, TOTP code, recovery code, security key),
// counted in the database so all instances share them. Three buckets per attempt:
//   account+IP — the tight one (default 5 failures / 15 min): stops one attacker cold,
//                and an attacker elsewhere cannot use it to lock the owner out;
//   account    — all IPs together (100 / 24 h, NIST SP 800-63B's ceiling);
//   IP         — all accounts together (100 / 15 min).
// Reaching a limit starts a back-off, not a lock: 1 min, doubling with every further
// failure while the bucket was blocked in the last 24 h, capped at 1 h.
// Buckets are keyed by the normalized username as typed, whether or not the account
// exists, so answers and counts never tell the two apart.
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { KeywardError } from '../errors.js';
import type { AttemptStore } from '../storage/port.js';

const DAY_MS = 24 * 3600 * 1000;

interface Bucket {
  key: string;
  account: string | null;
  max: number;
  windowMs: number;
}

export interface Lockout {
  bucket: 'account-ip' | 'account' | 'ip';
  account: string | null;
  ip: string;
  until: number;
}

export interface AttemptGuardDeps {
  store: AttemptStore;
  clock: Clock;
  limits: Config['rateLimits'];
  /** Told about every new back-off block (audit, notices). Never blocks the answer on failure. */
  onLockout?: (l: Lockout) => Promise<void>;
}

export function createAttemptGuard(deps: AttemptGuardDeps) {
  const { store, clock, limits } = deps;
  const baseMs = limits.backoffBaseSeconds * 1000;
  const maxMs = limits.backoffMaxSeconds * 1000;

  function buckets(account: string | null, ip: string): (Bucket & { name: Lockout['bucket'] })[] {
    const out: (Bucket & { name: Lockout['bucket'] })[] = [];
    if (account) {
      out.push({ name: 'account-ip', key: `acct-ip:${account}|${ip}`, account, max: limits.accountIp.max, windowMs: limits.accountIp.windowSeconds * 1000 });
      out.push({ name: 'account', key: `acct:${account}`, account, max: limits.account.max, windowMs: limits.account.windowSeconds * 1000 });
    }
    out.push({ name: 'ip', key: `ip:${ip}`, account: null, max: limits.ip.max, windowMs: limits.ip.windowSeconds * 1000 });
    return out;
  }

  return {
    /** Throws 429 too_many_attempts (with Retry-After) while any bucket is in back-off. */
    async check(account: string | null, ip: string): Promise<void> {
      const now = clock.now();
      const until = (await store.blockedUntil(buckets(account, ip).map((b) => b.key), now)) ?? 0;
      if (until > now) {
        const seconds = Math.ceil((until - now) / 1000);
        throw new KeywardError('too_many_attempts', `Too many attempts. Try again in ${seconds} seconds.`, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
      }
    },

    /** Counts a failed guess; starts or lengthens a back-off where a limit is reached. */
    async fail(account: string | null, ip: string): Promise<void> {
      const now = clock.now();
      for (const b of buckets(account, ip)) {
        await store.add({ kind: 'failure', key: b.key, account: b.account, at: now, until: null, expiresAt: now + Math.max(b.windowMs, DAY_MS) });
        const recentBlocks = await store.countBlocks(b.key, now - DAY_MS);
        // After a first back-off, every further failure within a day backs off again, longer.
        const over = recentBlocks > 0 || (await store.countFailures(b.key, now - b.windowMs)) >= b.max;
        if (!over) continue;
        const until = now + Math.min(baseMs * 2 ** recentBlocks, maxMs);
        await store.add({ kind: 'block', key: b.key, account: b.account, at: now, until, expiresAt: now + DAY_MS });
        await deps.onLockout?.({ bucket: b.name, account: b.account, ip, until });
      }
    },

    /** A success clears the tight budget of that account from that address. */
    async succeed(account: string, ip: string): Promise<void> {
      await store.clearKey(`acct-ip:${account}|${ip}`);
    },

    unlock: (account: string) => store.clearAccount(account),
    lockedAccounts: (accounts: string[]) => store.lockedAccounts(accounts, clock.now()),
  };
}

export type AttemptGuard = ReturnType<typeof createAttemptGuard>;
