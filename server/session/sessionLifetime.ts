// When a session ends, as pure functions. Two clocks run at once (NIST SP 800-63B, AAL2):
// an absolute one from sign-in (SESSION_MAX_AGE, however much the session is used) and an
// idle one from the last request (SESSION_IDLE_TIMEOUT). The stored expiresAt is the earlier
// of the two, so the store's own expiry check enforces both.
import type { SessionData } from './sessionState.js';

export interface LifetimePolicy {
  maxAgeMs: number;
  idleTimeoutMs: number;
  /** A visitor who only holds a ceremony (no user yet) keeps it as long as a challenge lives. */
  ceremonyMaxAgeMs: number;
}

/**
 * lastSeenAt is written at most once per this interval: forward-auth runs on every page of
 * every protected app, and a write per check would turn a read-only path into a write path
 * (and on the embedded store, a commit). The cost: the idle timeout ends a session between
 * SESSION_IDLE_TIMEOUT minus one minute and SESSION_IDLE_TIMEOUT after its last request.
 */
export const TOUCH_INTERVAL_MS = 60_000;

/** The absolute end: SESSION_MAX_AGE after the first factor, or the ceremony's lifetime. */
export function absoluteEnd(data: SessionData, createdAt: number, p: LifetimePolicy): number {
  return data.userId ? (data.authenticatedAt ?? createdAt) + p.maxAgeMs : createdAt + p.ceremonyMaxAgeMs;
}

/** When the session ends if nothing happens after a request at `lastSeenAt`. */
export function sessionEnd(data: SessionData, createdAt: number, lastSeenAt: number, p: LifetimePolicy): number {
  return Math.min(absoluteEnd(data, createdAt, p), lastSeenAt + p.idleTimeoutMs);
}

export function needsTouch(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt >= TOUCH_INTERVAL_MS;
}
