// Guard buckets on SQLite: each bucket's reservation and back-off decision is ONE statement,
// the same consume rate-limiter-flexible's RateLimiterSQLite runs (INSERT ... ON CONFLICT DO
// UPDATE ... RETURNING), with the budget check moved into the statement's WHERE so a full
// bucket is not even incremented. Not that class itself: it reads Date.now() (tests move an
// injected clock), and its writes skip the group commit, so a consume would be acknowledged
// before the batch holding it commits (see README, "Brute force").
import type { Database } from 'better-sqlite3';
import type { AttemptBucket, AttemptStore, AttemptTicket, Reservation } from '../port.js';

/** Thrown inside the savepoint to roll a refused guess back; carries the answer out. */
class Refused extends Error {
  constructor(readonly answer: Reservation) {
    super('refused');
  }
}

export const ATTEMPTS_SCHEMA = `
DROP TABLE IF EXISTS attempts;
CREATE TABLE IF NOT EXISTS attempt_buckets (
  key TEXT PRIMARY KEY,
  account TEXT,
  points INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL DEFAULT 0,
  blocks INTEGER NOT NULL DEFAULT 0,
  memory_end INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempt_buckets_by_account ON attempt_buckets(account, blocked_until);
CREATE INDEX IF NOT EXISTS attempt_buckets_expiry ON attempt_buckets(expires_at);
`;

export function createEmbeddedAttemptStore(db: Database): AttemptStore {
  // The WHERE of DO UPDATE decides: no row comes back when the bucket is backed off or full.
  const reserve = db.prepare(`
    INSERT INTO attempt_buckets (key, account, points, window_end, expires_at)
    VALUES (@key, @account, 1, @windowEnd, @expiresAt)
    ON CONFLICT(key) DO UPDATE SET
      points = CASE WHEN window_end <= @now THEN 1 ELSE points + 1 END,
      window_end = CASE WHEN window_end <= @now THEN @windowEnd ELSE window_end END,
      expires_at = MAX(expires_at, @expiresAt)
    WHERE blocked_until <= @now
      AND (window_end <= @now OR points < CASE WHEN memory_end > @now THEN 1 ELSE @max END)
    RETURNING window_end`);
  const state = db.prepare<[string], { blocked_until: number; window_end: number }>('SELECT blocked_until, window_end FROM attempt_buckets WHERE key = ?');
  // Only within the window the attempt was counted in (the ticket names it).
  const giveBack = db.prepare('UPDATE attempt_buckets SET points = points - 1 WHERE key = ? AND window_end = ? AND points > 0');
  const forget = db.prepare('UPDATE attempt_buckets SET points = 0 WHERE key = ? AND window_end = ?');
  // SET expressions all read the row as it was, so `blocks` below is the count before this one.
  const fail = db.prepare(`
    UPDATE attempt_buckets SET
      blocked_until = @now + MIN(@baseMs * (1 << MIN(CASE WHEN memory_end > @now THEN blocks ELSE 0 END, 30)), @maxMs),
      blocks = CASE WHEN memory_end > @now THEN blocks + 1 ELSE 1 END,
      memory_end = @now + @memoryMs,
      points = 0,
      expires_at = MAX(expires_at, @expiresAt)
    WHERE key = @key AND blocked_until <= @now AND (memory_end > @now OR points >= @max)
    RETURNING blocked_until`);
  // One row per key and window: the insert decides (SQLite holds the write lock), and a row
  // left from an expired window is taken over rather than blocking the key for good.
  const claim = db.prepare(`
    INSERT INTO attempt_buckets (key, account, points, window_end, expires_at)
    VALUES (@key, NULL, 1, @windowEnd, @windowEnd)
    ON CONFLICT(key) DO UPDATE SET points = 1, window_end = @windowEnd, expires_at = @windowEnd
    WHERE window_end <= @now`);
  const clearAccount = db.prepare('DELETE FROM attempt_buckets WHERE account = ?');
  const locked = db.prepare<[string, number], { account: string }>(
    'SELECT DISTINCT account FROM attempt_buckets WHERE account IN (SELECT value FROM json_each(?)) AND blocked_until > ?',
  );
  // All buckets of a guess in one savepoint: a refusal rolls back what the others took, so
  // nothing else (no other request of this process, no other process: the group commit holds
  // the write lock) ever sees a half-taken guess. Every bucket is asked, for the latest end.
  const reserveAll = db.transaction((buckets: AttemptBucket[], now: number): Reservation => {
    const tickets: AttemptTicket[] = [];
    let blockedUntil: number | null = null;
    let windowEnd: number | null = null;
    for (const b of buckets) {
      const windowEndOf = (Math.floor(now / b.windowMs) + 1) * b.windowMs;
      const row = reserve.get({ key: b.key, account: b.account, now, windowEnd: windowEndOf, max: b.max, expiresAt: b.expiresAt }) as { window_end: number } | undefined;
      if (row) {
        tickets.push({ key: b.key, id: String(row.window_end) });
        continue;
      }
      const s = state.get(b.key);
      if (s && s.blocked_until > now) blockedUntil = Math.max(blockedUntil ?? 0, s.blocked_until);
      else windowEnd = Math.max(windowEnd ?? 0, s?.window_end ?? now);
    }
    if (tickets.length === buckets.length) return { reserved: true, tickets };
    throw new Refused({ reserved: false, blockedUntil, windowEnd });
  });
  return {
    async reserveAll(buckets, now) {
      try {
        return reserveAll(buckets, now);
      } catch (err) {
        if (err instanceof Refused) return err.answer;
        throw err;
      }
    },
    async releaseAll(releases) {
      for (const r of releases) (r.forgetWindow ? forget : giveBack).run(r.ticket.key, Number(r.ticket.id));
    },
    async failAll(buckets, now, backoff) {
      return buckets.map((b) => (fail.get({ key: b.key, now, max: b.max, expiresAt: b.expiresAt, ...backoff }) as { blocked_until: number } | undefined)?.blocked_until ?? null);
    },
    async clearAccount(account) {
      return clearAccount.run(account).changes;
    },
    async lockedAccounts(accounts, now) {
      if (accounts.length === 0) return [];
      return locked.all(JSON.stringify(accounts), now).map((r) => r.account);
    },
    async claimOnce(key, windowMs, now) {
      const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
      return claim.run({ key: `once:${key}`, windowEnd, now }).changes === 1;
    },
  };
}
