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
  // prom-client hashes the label set on every call; the children per label set are kept instead.
  // Bounded: templates, methods and statuses are closed lists.
  const durations = new Map<string, ReturnType<Metrics['httpDuration']['labels']>>();
  const counts = new Map<string, ReturnType<Metrics['httpRequests']['labels']>>();
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeTemplate(ctx);
      const method = METHODS.has(ctx.method) ? ctx.method : 'other';
      const key = `${method} ${route}`;
      let duration = durations.get(key);
      if (!duration) durations.set(key, (duration = metrics.httpDuration.labels({ method, route })));
      duration.observe((performance.now() - started) / 1000);
      const status = String(ctx.status);
      let count = counts.get(`${key} ${status}`);
      if (!count) counts.set(`${key} ${status}`, (count = metrics.httpRequests.labels({ method, route, status })));
      count.inc();
      if (ctx.status === 429) metrics.rateLimited.inc({ route });
    }
  };
}
