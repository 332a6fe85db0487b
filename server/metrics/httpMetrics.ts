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
  // A path answered in front of the router names itself.
  if (typeof ctx.state.route === 'string') return ctx.state.route;
  const matched = (ctx as unknown as { matched?: MatchedLayer[] }).matched ?? [];
  const layer = matched.find((l) => l.methods.includes(ctx.method) && typeof l.path === 'string');
  return layer ? String(layer.path) : 'unmatched';
}

export type HttpRecorder = (method: string, route: string, status: number, seconds: number) => void;

/** One recorder per app: the Koa middleware and the lean forward-auth handler count into it. */
export function createHttpRecorder(metrics: Metrics): HttpRecorder {
  // prom-client hashes the label set on every call; the children per label set are kept instead.
  // Bounded: templates, methods and statuses are closed lists.
  const durations = new Map<string, ReturnType<Metrics['httpDuration']['labels']>>();
  const counts = new Map<string, ReturnType<Metrics['httpRequests']['labels']>>();
  return (rawMethod, route, status, seconds) => {
    const method = METHODS.has(rawMethod) ? rawMethod : 'other';
    const key = `${method} ${route}`;
    let duration = durations.get(key);
    if (!duration) durations.set(key, (duration = metrics.httpDuration.labels({ method, route })));
    duration.observe(seconds);
    const countKey = `${key} ${status}`;
    let count = counts.get(countKey);
    if (!count) counts.set(countKey, (count = metrics.httpRequests.labels({ method, route, status: String(status) })));
    count.inc();
    if (status === 429) metrics.rateLimited.inc({ route });
  };
}

export function httpMetrics(record: HttpRecorder): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      record(ctx.method, routeTemplate(ctx), ctx.status, (performance.now() - started) / 1000);
    }
  };
}
