// CSRF defence beside SameSite cookies: a state-changing request must come from one of
// the configured origins. Browsers always send Origin on such requests; other clients
// must set it.
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originCheck(origins: string[]): Middleware {
  const allowed = new Set(origins);
  return async (ctx, next) => {
    if (!SAFE.has(ctx.method)) {
      const origin = ctx.get('Origin');
      if (!allowed.has(origin)) {
        throw new KeywardError('forbidden', origin ? `Origin ${origin} is not allowed.` : 'Requests that change state need an Origin header.');
      }
    }
    await next();
  };
}
