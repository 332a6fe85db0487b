// The public keys that verify session tokens: GET /.well-known/jwks.json, outside /api.
import Router from '@koa/router';
import type { Clock } from '../../clock.js';
import type { SigningKeyRing } from '../../protect/createSigningKeyRing.js';

// Short: a verifier's cache should pick up a new key well within the 15 minutes a key is
// published before it signs (jose's createRemoteJWKSet keeps one for 10 minutes).
export const JWKS_MAX_AGE_SECONDS = 300;

export function jwksRoutes(deps: { ring: SigningKeyRing; clock: Clock }): Router {
  const router = new Router();
  router.get('/.well-known/jwks.json', async (ctx) => {
    const keys = await deps.ring.published(deps.clock.now());
    ctx.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    // Public keys: any site's script may read them.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = { keys };
  });
  return router;
}
