// At most `max` requests of this process are served at once; the next one is answered 503
// `unavailable` with Retry-After straight away instead of waiting its turn. Under a flood a
// queue only grows: every request in it holds a socket and memory, its database work waits
// behind everyone else's, and by the time it runs its client has given up. Refusing at the
// door keeps the answers of the requests let in fast and lets the process recover the moment
// the flood stops. A refused request ran no route: nothing was read, counted or evaluated.
// Health checks pass (`exempt`): a liveness probe must see a live process, and readiness is
// about the database (its ping has its own timeout), not about this queue.
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

export interface InFlightLimitOptions {
  max: number;
  /** Paths never refused (health checks). */
  exempt: readonly string[];
  /** What Retry-After says: busy is brief, unlike a database that went away. */
  retryAfterSeconds?: number;
}

export const BUSY_MESSAGE = 'The server is busy. Try again shortly.';

export function inFlightLimit(opts: InFlightLimitOptions): Middleware {
  const exempt = new Set(opts.exempt);
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let inFlight = 0;
  // One warning per busy spell, not one per refused request (a flood is thousands).
  let refusing = false;
  return async (ctx, next) => {
    if (exempt.has(ctx.path)) return next();
    if (inFlight >= opts.max) {
      if (!refusing) ctx.state.log?.warn({ max: opts.max }, 'busy: MAX_REQUESTS_IN_FLIGHT reached, refusing requests with 503');
      refusing = true;
      throw new KeywardError('unavailable', BUSY_MESSAGE, undefined, { 'Retry-After': retryAfter });
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
      if (inFlight < opts.max / 2) refusing = false;
    }
  };
}
