// At most `max` requests of this process are served at once; the next one is answered 503
// `unavailable` with Retry-After straight away instead of waiting its turn. Under a flood a
// queue only grows: every request in it holds a socket and memory, its database work waits
// behind everyone else's, and by the time it runs its client has given up. Refusing at the
// door keeps the answers of the requests let in fast and lets the process recover the moment
// the flood stops. A refused request ran no route: nothing was read, counted or evaluated.
// Health checks pass (`exempt`): a liveness probe must see a live process, and readiness is
// about the database (its ping has its own timeout), not about this queue.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { KeywardError } from '../errors.js';

export interface InFlightLimitOptions {
  max: number;
  /** Paths never refused (health checks). */
  exempt: readonly string[];
  /** What Retry-After says: busy is brief, unlike a database that went away. */
  retryAfterSeconds?: number;
  /** Shared with the lean forward-auth handler; made here when not given. */
  gate?: InFlightGate;
}

export const BUSY_MESSAGE = 'The server is busy. Try again shortly.';

export interface InFlightGate {
  /** Lets a request in (true), or, when `max` are in already, counts nothing and answers false. */
  tryEnter(): boolean;
  /** A request let in has been answered. */
  leave(): void;
  /** What a request turned away is answered (503 with Retry-After); the first of a busy spell is logged. */
  refusal(log: Logger | undefined): KeywardError;
}

/** One gate per process: the Koa stack and the lean forward-auth handler count into the same one. */
export function createInFlightGate(opts: { max: number; retryAfterSeconds?: number }): InFlightGate {
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let inFlight = 0;
  // One warning per busy spell, not one per refused request (a flood is thousands).
  let refusing = false;
  return {
    tryEnter() {
      if (inFlight >= opts.max) return false;
      inFlight++;
      return true;
    },
    leave() {
      inFlight--;
      if (inFlight < opts.max / 2) refusing = false;
    },
    refusal(log) {
      if (!refusing) log?.warn({ max: opts.max }, 'busy: MAX_REQUESTS_IN_FLIGHT reached, refusing requests with 503');
      refusing = true;
      return new KeywardError('unavailable', BUSY_MESSAGE, undefined, { 'Retry-After': retryAfter });
    },
  };
}

export function inFlightLimit(opts: InFlightLimitOptions): Middleware {
  const exempt = new Set(opts.exempt);
  const gate = opts.gate ?? createInFlightGate(opts);
  return async (ctx, next) => {
    if (exempt.has(ctx.path)) return next();
    if (!gate.tryEnter()) throw gate.refusal(ctx.state.log);
    try {
      await next();
    } finally {
      gate.leave();
    }
  };
}
