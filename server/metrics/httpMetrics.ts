// Counts and times every request by its route TEMPLATE (/api/totp/authenticators/:id), never
// by the raw path: labels must stay few however many ids or junk paths clients send.
import type { Context, Middleware } from 'koa';
import type { Metrics } from './createMetrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface MatchedLayer {
  path: unknown;
  methods: string[];
}

/** The first route layer that matched path and method (@koa/router keeps every matched layer). */
export function routeTemplate(ctx: Context): string {
  // A path answered in front of the router names itself (forwardAuthFastPath.ts).
  if (typeof ctx.state.route === 'string') return ctx.state.route;
  const matched = (ctx as unknown as { matched?: MatchedLayer[] }).matched ?? [];
  const layer = matched.find((l) => l.methods.includes(ctx.method) && typeof l.path === 'string');
  return layer ? String(layer.path) : 'unmatched';
}

export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeTemplate(ctx);
      const method = METHODS.has(ctx.method) ? ctx.method : 'other';
      metrics.httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
      metrics.httpRequests.inc({ method, route, status: String(ctx.status) });
      if (ctx.status === 429) metrics.rateLimited.inc({ route });
    }
  };
}
