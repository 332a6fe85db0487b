import Router from '@koa/router';

export interface Branding {
  name: string;
  logoUrl: string | null;
  /** Where directory people change or reset their password (LDAP_PASSWORD_HELP_URL), for the "Forgot password?" page. */
  passwordHelpUrl: string | null;
}

/** GET /api/branding: the operator's name and logo, which every page shows (and the directory's password page). Public, cacheable briefly. */
export function brandingRoutes(branding: Branding): Router {
  const router = new Router();
  router.get('/branding', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = branding;
  });
  return router;
}
