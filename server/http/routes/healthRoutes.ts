import Router from '@koa/router';
import type { Storage } from '../../storage/port.js';
import type { MdsService } from '../../mds/createMdsService.js';

/** Never refused by the in-flight limit (server/http/inFlightLimit.ts). */
export const HEALTH_PATHS = ['/healthz', '/readyz'] as const;

/**
 * /healthz: the process is alive. /readyz: it can reach its database right now; it also says
 * when the FIDO metadata blob is past its nextUpdate (still serving: an old blob beats none).
 */
export function healthRoutes(storage: Pick<Storage, 'ping'>, mds?: Pick<MdsService, 'current'>): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    await storage.ping(); // throws 'unavailable' -> 503 through the error handler
    const metadata = mds ? await mds.current() : null;
    ctx.body = {
      status: 'ready',
      ...(metadata?.expired && {
        warnings: [`FIDO metadata blob ${metadata.blob.no} is past its nextUpdate (${new Date(metadata.blob.nextUpdate).toISOString().slice(0, 10)}): run keyward mds update`],
      }),
    };
  });
  return router;
}
