// Brute-force limits for every guess (password, TOTP code, recovery code, security key),
// counted in the database so all instances share them. An attempt is COUNTED BEFORE IT IS
// EVALUATED: reserve() takes one attempt from every bucket, or from none and refuses with
// 429, so guesses sent all at once get no more evaluations than guesses sent one by one.
// Each step of a guess (reserve, then fail or succeed) is one store call for all its
// buckets; each bucket's decision in it is atomic. Buckets per attempt, separately for the
// first factor (password) and the second (TOTP, recovery code, security key), so a correct
// password refills nothing the second factor spends:
//   account+IP — the tight one (default 5 / 15 min): stops one attacker cold, and an
//                attacker elsewhere cannot use it to lock the owner out;
//   account    — all IPs together (100 / 24 h, NIST SP 800-63B's ceiling); a known device
//                of the owner (device cookie, OWASP's "device cookies") is not counted here
//                but against its own small budget, so strangers filling it do not lock the
//                owner out;
//   IP         — all accounts together (100 / 15 min); IPv6 per /64 (clientNetwork.ts).
// A failure that finds a bucket's window spent starts a back-off, not a lock: 1 min,
// doubling with every further back-off within a day (the window then holds one attempt at
// a time), capped at 1 h. A success gives its attempt back (and forgets the failures of its
// own account+IP or device window) but never ends a back-off early.
// Buckets are keyed by the normalized username as typed, whether or not the account
// exists, so answers and counts never tell the two apart.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { KeywardError } from '../errors.js';
import type { AttemptBucket, AttemptStore, AttemptTicket, Backoff } from '../storage/port.js';
import { clientNetwork } from './clientNetwork.js';

const DAY_MS = 24 * 3600 * 1000;

export type FactorKind = 'password' | 'second';
type BucketName = 'account-ip' | 'account' | 'device' | 'ip';
type NamedBucket = AttemptBucket & { name: BucketName };

/** The request a guess came in: named in the audit trail of a lockout that guess starts. */
export interface RequestMeta {
  userAgent: string | null;
  requestId: string | null;
}

/** Who is guessing: the address, and the device cookie's account and id when it carries a valid one. */
export interface Guesser {
  ip: string;
  device: { account: string; id: string } | null;
  request: RequestMeta;
}

export interface Lockout {
  bucket: BucketName;
  factor: FactorKind;
  account: string | null;
  ip: string;
  request: RequestMeta;
  until: number;
}

/** Attempts reserved for one guess, to settle once it is evaluated. */
export interface HeldAttempt {
  factor: FactorKind;
  ip: string;
  request: RequestMeta;
  buckets: (NamedBucket & { ticket: AttemptTicket })[];
}

export interface AttemptGuardDeps {
  store: AttemptStore;
  clock: Clock;
  limits: Config['rateLimits'];
  /** Told about every new back-off (audit, notices). Never blocks the answer on failure. */
  onLockout?: (l: Lockout) => Promise<void>;
}

export function createAttemptGuard(deps: AttemptGuardDeps) {
  const { store, clock, limits } = deps;
  const backoff: Backoff = { baseMs: limits.backoffBaseSeconds * 1000, maxMs: limits.backoffMaxSeconds * 1000, memoryMs: DAY_MS };
  const sized = (name: BucketName, key: string, account: string | null, l: { max: number; windowSeconds: number }, now: number): NamedBucket => {
    const windowMs = l.windowSeconds * 1000;
    return { name, key, account, max: l.max, windowMs, expiresAt: now + Math.max(windowMs, backoff.memoryMs + backoff.maxMs) };
  };

  function buckets(factor: FactorKind, account: string | null, who: Guesser, now: number): NamedBucket[] {
    const f = factor === 'password' ? 'pw' : 'mfa';
    const net = clientNetwork(who.ip, limits.ipv6Prefix);
    const out: NamedBucket[] = [];
    if (account) {
      out.push(sized('account-ip', `${f}:acct-ip:${account}|${net}`, account, limits.accountIp, now));
      if (who.device && who.device.account === account) out.push(sized('device', `${f}:device:${who.device.id}`, account, limits.device, now));
      else out.push(sized('account', `${f}:acct:${account}`, account, limits.account, now));
    }
    out.push(sized('ip', `${f}:ip:${net}`, null, limits.ip, now));
    return out;
  }

  function refuse(until: number, now: number): never {
    const seconds = Math.max(1, Math.ceil((until - now) / 1000));
    throw new KeywardError('too_many_attempts', `Too many attempts. Try again in ${seconds} seconds.`, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
  }

  return {
    /**
     * Takes one attempt from every bucket of this guess, or throws 429 too_many_attempts (with
     * Retry-After) and gives back what it took: the guess is then not evaluated at all.
     */
    async reserve(factor: FactorKind, account: string | null, who: Guesser): Promise<HeldAttempt> {
      const now = clock.now();
      // One store call for all buckets, the tight one first (the store keeps a burst it
      // refuses from touching the others: see AttemptStore.reserveAll).
      const named = buckets(factor, account, who, now);
      const r = await store.reserveAll(named, now);
      // Full with guesses still in flight: their failures start the next back-off.
      if (!r.reserved) refuse(Math.max(r.blockedUntil ?? 0, r.windowEnd === null ? 0 : Math.min(r.windowEnd, now + backoff.baseMs)), now);
      return { factor, ip: who.ip, request: who.request, buckets: named.map((b, i) => ({ ...b, ticket: r.tickets[i]! })) };
    },

    /** The guess failed: back-offs start where a window is spent. */
    async fail(held: HeldAttempt): Promise<void> {
      const ends = await store.failAll(held.buckets, clock.now(), backoff);
      for (const [i, until] of ends.entries()) {
        const b = held.buckets[i]!;
        if (until !== null) await deps.onLockout?.({ bucket: b.name, factor: held.factor, account: b.account, ip: held.ip, request: held.request, until });
      }
    },

    /** The guess succeeded: its attempt is given back; the person's own budgets start afresh. */
    async succeed(held: HeldAttempt): Promise<void> {
      await store.releaseAll(held.buckets.map((b) => ({ ticket: b.ticket, forgetWindow: b.name === 'account-ip' || b.name === 'device' })));
    },

    /**
     * The guess was never evaluated (refused before any check, e.g. a stale form): its attempt
     * is given back, but the window is not forgotten, so such requests cannot wipe the wrong
     * guesses before them.
     */
    async giveBack(held: HeldAttempt): Promise<void> {
      await store.releaseAll(held.buckets.map((b) => ({ ticket: b.ticket, forgetWindow: false })));
    },

    /** Sign-ups and anonymous ceremony starts: a plain per-IP budget per window (429 when spent). */
    async limitStart(kind: 'signUp' | 'ceremony', ip: string, by: { invitation?: string } = {}): Promise<void> {
      const now = clock.now();
      const l = limits[kind];
      // An invited sign-up is counted per invitation (its hash, never the token), not per
      // address: the same budget, so a taken name is not asked about faster than anonymously.
      const key = by.invitation ? `${kind}:invitation:${createHash('sha256').update(by.invitation).digest('base64url')}` : `${kind}:ip:${clientNetwork(ip, limits.ipv6Prefix)}`;
      const b: AttemptBucket = { key, account: null, max: l.max, windowMs: l.windowSeconds * 1000, expiresAt: now + l.windowSeconds * 1000 };
      const r = await store.reserveAll([b], now);
      if (!r.reserved) refuse(Math.max(r.blockedUntil ?? 0, r.windowEnd ?? 0), now);
    },

    /**
     * Password-reset requests: per address (429 when spent) and per name as typed, whether or
     * not an account has it, so the refusal says nothing about which names exist.
     */
    async limitResetRequest(ip: string, name: string): Promise<void> {
      const now = clock.now();
      const { resetIp, resetAccount } = limits;
      const sized = (key: string, l: { max: number; windowSeconds: number }): AttemptBucket => ({ key, account: null, max: l.max, windowMs: l.windowSeconds * 1000, expiresAt: now + l.windowSeconds * 1000 });
      // The name first; a request the address refuses takes nothing, so a refused request
      // spends nothing (one name's limit never eats another's).
      const r = await store.reserveAll([sized(`reset:name:${name}`, resetAccount), sized(`reset:ip:${clientNetwork(ip, limits.ipv6Prefix)}`, resetIp)], now);
      if (!r.reserved) refuse(Math.max(r.blockedUntil ?? 0, r.windowEnd ?? 0), now);
    },

    /** true for exactly one caller per key and window, false for every other (one atomic claim). */
    once: (key: string, windowMs: number): Promise<boolean> => store.claimOnce(key, windowMs, clock.now()),

    unlock: (account: string) => store.clearAccount(account),
    lockedAccounts: (accounts: string[]) => store.lockedAccounts(accounts, clock.now()),
  };
}

export type AttemptGuard = ReturnType<typeof createAttemptGuard>;
