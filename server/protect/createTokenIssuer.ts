// Session tokens for APIs that cannot share the cookie: a short-lived ES256 JWT saying who
// the person is and how strongly they signed in. It never outlives the session it came from.
import { SignJWT } from 'jose';
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import type { KeywardUser } from './createSessionIdentity.js';
import { TOKEN_ALG, type SigningKeyRing } from './createSigningKeyRing.js';

export interface TokenIssuerDeps {
  ring: SigningKeyRing;
  clock: Clock;
  random: Random;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export function createTokenIssuer(deps: TokenIssuerDeps) {
  return {
    async issue(user: KeywardUser, sessionExpiresAt: number | undefined): Promise<{ token: string; expiresAt: number }> {
      const now = deps.clock.now();
      const { kid, key } = await deps.ring.signer(now);
      const iat = Math.floor(now / 1000);
      const sessionEnd = sessionExpiresAt === undefined ? Infinity : Math.floor(sessionExpiresAt / 1000);
      const exp = Math.min(iat + deps.ttlSeconds, sessionEnd);
      const token = await new SignJWT({
        aal: user.aal,
        amr: user.amr,
        auth_time: Math.floor(user.authenticatedAt / 1000),
        preferred_username: user.username,
        name: user.displayName,
        groups: user.groups,
      })
        .setProtectedHeader({ alg: TOKEN_ALG, kid, typ: 'JWT' })
        .setIssuer(deps.issuer)
        .setAudience(deps.audience)
        .setSubject(user.id)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(newId(deps.random))
        .sign(key);
      return { token, expiresAt: exp * 1000 };
    },
  };
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
