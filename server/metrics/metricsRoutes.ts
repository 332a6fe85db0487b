// GET /metrics in Prometheus' text format: on METRICS_PORT (main.ts), or on the public port
// only when METRICS_PUBLIC says so.
import Router from '@koa/router';

/** A registry, or the whole cluster's metrics gathered by the primary (server/cluster/). */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export function metricsRoutes(source: MetricsSource): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = source.contentType;
    ctx.body = await source.metrics();
  });
  return router;
}
