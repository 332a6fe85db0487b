// GET /metrics in Prometheus' text format: on METRICS_PORT (main.ts), or on the public port
// only when METRICS_PUBLIC says so.
import Router from '@koa/router';
import type { Registry } from 'prom-client';

export function metricsRoutes(registry: Registry): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}
