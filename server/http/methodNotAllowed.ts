// One answer for a method a known path does not take, from the routes themselves: OPTIONS gets
// 200 with Allow, anything else 405 with Allow (RFC 9110 15.5.6). Each router's own
// allowedMethods would also count a parameter route that happens to match a literal path, so
// OPTIONS /api/me/sessions/revoke-others listed DELETE (from DELETE /api/me/sessions/:id):
// here a literal path wins, as the API description says.
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

/** `methodsOf(path)`: the methods the path takes, empty when no route knows the path. */
export function methodNotAllowed(methodsOf: (path: string) => string[]): Middleware {
  return async (ctx, next) => {
    const allowed = methodsOf(ctx.path);
    if (!allowed.length || allowed.includes(ctx.method)) return next();
    const allow = allowed.join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', allow);
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    throw new KeywardError('method_not_allowed', `Use ${allow} here.`, undefined, { Allow: allow });
  };
}
