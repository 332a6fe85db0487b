// A request id on every response and every log line; one access-log line per request.
// The lean forward-auth handler (forwardAuth/leanForwardAuth.ts) uses the same pieces.
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Random } from '../clock.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The proxy's X-Request-Id when it is trusted and well-formed, else a new one. */
export function requestIdFor(incoming: string | undefined, trustProxy: boolean, random: Random): string {
  // Only a trusted proxy may name the request (so its logs and ours line up).
  return trustProxy && incoming && INCOMING_ID.test(incoming) ? incoming : random.bytes(12).toString('base64url');
}

/**
 * An allowed forward-auth check is every page view of every protected app: a line each would
 * cost more than the check (5-8% measured) and drown the log; metrics count them.
 */
export const accessLogLevel = (path: string, status: number): 'debug' | 'info' => (path === '/api/authz' && status < 300 ? 'debug' : 'info');

export function requestContext(logger: Logger, random: Random, trustProxy: boolean): Middleware {
  return async (ctx, next) => {
    const requestId = requestIdFor(ctx.get('X-Request-Id'), trustProxy, random);
    ctx.state.requestId = requestId;
    // The child logger is made when something logs: most requests (every allowed forward-auth
    // check) log nothing at the default level, and a child with redaction costs per request.
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (log ??= logger.child({ reqId: requestId })), configurable: true, enumerable: true });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const level = accessLogLevel(ctx.path, ctx.status);
      if (logger.isLevelEnabled(level)) {
        ctx.state.log[level](
          { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started), ip: ctx.ip },
          'request',
        );
      }
    }
  };
}
