// Session tokens (POST /api/token, behind the Origin check like every state-changing call)
// and the public keys that verify them (GET /.well-known/jwks.json, outside /api).
import Router from '@koa/router';
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import type { SessionIdentity } from '../../protect/createSessionIdentity.js';
import type { SigningKeyRing } from '../../protect/createSigningKeyRing.js';
import type { TokenIssuer } from '../../protect/createTokenIssuer.js';
import type { SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface TokenRoutesDeps {
  access: SessionAccess;
  identity: SessionIdentity;
  tokens: TokenIssuer;
}

// Short: a verifier's cache should pick up a new key well within the 15 minutes a key is
// published before it signs (jose's createRemoteJWKSet keeps one for 10 minutes).
export const JWKS_MAX_AGE_SECONDS = 300;

export function tokenRoutes(deps: TokenRoutesDeps): Router {
  const router = new Router();
  router.post('/token', async (ctx) => {
    validate(z.strictObject({}), ctx.request.body);
    const user = await deps.identity.identify(deps.access.requireUser(ctx));
    if (!user) throw new KeywardError('unauthenticated');
    const { token, expiresAt } = await deps.tokens.issue(user, ctx.state.sessionExpiresAt);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token, expiresAt: new Date(expiresAt).toISOString() };
  });
  return router;
}

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
