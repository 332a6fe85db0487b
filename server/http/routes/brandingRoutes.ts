import Router from '@koa/router';

export interface Branding {
  name: string;
  logoUrl: string | null;
}

/** GET /api/branding: the operator's name and logo, which every page shows. Public, cacheable briefly. */
export function brandingRoutes(branding: Branding): Router {
  const router = new Router();
  router.get('/branding', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = branding;
  });
  return router;
}
