// Session tokens: POST /api/token, behind the Origin check like every state-changing call.
import Router from '@koa/router';
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import type { SessionIdentity } from '../../protect/createSessionIdentity.js';
import type { TokenIssuer } from '../../protect/createTokenIssuer.js';
import type { SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface TokenRoutesDeps {
  access: SessionAccess;
  identity: SessionIdentity;
  tokens: TokenIssuer;
}

/** No body (an empty JSON object at most); described in /api/openapi.json. */
export const tokenBody = z.strictObject({});

export function tokenRoutes(deps: TokenRoutesDeps): Router {
  const router = new Router();
  router.post('/token', async (ctx) => {
    validate(tokenBody, ctx.request.body);
    const user = await deps.identity.identify(deps.access.requireUser(ctx));
    if (!user) throw new KeywardError('unauthenticated');
    const { token, expiresAt } = await deps.tokens.issue(user, ctx.state.sessionExpiresAt);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token, expiresAt: new Date(expiresAt).toISOString() };
  });
  return router;
}
