// Verifying Keyward's session tokens the way an API behind it would: jose against the JWKS.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { expect } from 'vitest';
import type { HttpClient } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export async function issueToken(c: HttpClient): Promise<IssuedToken> {
  const res = await c.post<IssuedToken>('/api/token');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function fetchJwks(app: TestApp): Promise<JSONWebKeySet> {
  const res = await app.client().get<JSONWebKeySet>('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return res.body;
}

/** The kids of one family of keys in a JWKS: ES256 (session tokens) unless told. */
export const kids = (jwks: JSONWebKeySet, alg = 'ES256') => jwks.keys.filter((k) => k.alg === alg).map((k) => k.kid);

/** Verifies against the JWKS the app serves now, at the app's clock unless told otherwise. */
export async function verifyToken(app: TestApp, token: string, opts: JWTVerifyOptions = {}): Promise<{ payload: JWTPayload; kid: string | undefined }> {
  const jwks = createLocalJWKSet(await fetchJwks(app));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer: app.config.protect.tokenIssuer,
    audience: app.config.protect.tokenAudience,
    algorithms: ['ES256'],
    currentDate: new Date(app.clock.now()),
    ...opts,
  });
  return { payload, kid: protectedHeader.kid };
}

export function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;
}
