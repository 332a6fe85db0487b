// Forward-auth is every page view of every protected app. GET /api/authz and /api/whoami are
// answered here, in front of the routers, with only what they need: the session layer (the
// session read by id on every check, never cached, so a session ended anywhere is refused at
// the next one) and the handler the router also serves (authzRoutes.ts). What runs before
// this middleware in app.ts (request id, metrics, error answers, security headers) still runs.
// Skipped: the Origin check and body parsing (safe methods without a body) and the router walk.
import type { Middleware } from 'koa';

const done = () => Promise.resolve();

export function forwardAuthFastPath(session: Middleware, handlers: Record<string, Middleware>): Middleware {
  const paths = new Map(Object.entries(handlers));
  return (ctx, next) => {
    const handler = ctx.method === 'GET' || ctx.method === 'HEAD' ? paths.get(ctx.path) : undefined;
    if (!handler) return next();
    // The label the router's template would have given (httpMetrics.ts).
    ctx.state.route = ctx.path;
    return session(ctx, () => handler(ctx, done));
  };
}
