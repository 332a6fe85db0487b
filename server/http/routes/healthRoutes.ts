import Router from '@koa/router';
import type { Storage } from '../../storage/port.js';

/** /healthz: the process is alive. /readyz: it can reach its database right now. */
export function healthRoutes(storage: Pick<Storage, 'ping'>): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    await storage.ping(); // throws 'unavailable' -> 503 through the error handler
    ctx.body = { status: 'ready' };
  });
  return router;
}
