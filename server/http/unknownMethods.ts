// Methods no route of Keyward implements (TRACE, CONNECT, made-up ones) get 405 like any
// other method a path does not take, not the router's 501: the method is refused for this
// resource, the server is not missing a feature (RFC 9110 15.5.6). Refused before anything
// reads the request, so a body sent with such a method cannot turn it into a 400.
import type { Middleware } from 'koa';
import { KeywardError } from '../errors.js';

const IMPLEMENTED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** `methodsOf(path)`: the methods the path takes, empty when the caller does not know the path. */
export function unknownMethods(methodsOf: (path: string) => string[]): Middleware {
  return async (ctx, next) => {
    if (IMPLEMENTED.has(ctx.method)) return next();
    const known = methodsOf(ctx.path);
    const allow = (known.length ? known : ['GET', 'HEAD']).join(', ');
    throw new KeywardError('method_not_allowed', `Use ${allow} here.`, undefined, { Allow: allow });
  };
}
