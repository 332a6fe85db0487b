// A session token is only as good as its checks: altered, foreign-signed, mis-addressed or
// expired tokens fail, and the private signing keys are never readable from the database.
import { SignJWT, generateKeyPair, errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { issueToken, kidOf, verifyToken } from './tokenChecks.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe.each(storageFactories)('session token security ($name)', (factory) => {
  const t = useApp(factory, { MFA_REQUIRED: 'false' });

  async function aToken() {
    const c = t.app.client();
    await c.post('/api/accounts', { username: `u${Math.random().toString(36).slice(2, 10)}`, password: 'correct horse battery staple' });
    return (await issueToken(c)).token;
  }

  it('fails once anything in it is altered: claims, header or signature', async () => {
    const token = await aToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    await expect(verifyToken(t.app, token)).resolves.toBeDefined();

    // The person signed in with a password only (aal 1): claiming 2 must not pass.
    const raised = `${header}.${b64({ ...decode(payload), aal: 2 })}.${signature}`;
    await expect(verifyToken(t.app, raised)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    const otherSig = `${header}.${payload}.${Buffer.from(Buffer.from(signature, 'base64url').map((x, i) => (i === 5 ? x ^ 1 : x))).toString('base64url')}`;
    await expect(verifyToken(t.app, otherSig)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    const unsigned = `${b64({ alg: 'none', kid: kidOf(token) })}.${payload}.`;
    await expect(verifyToken(t.app, unsigned)).rejects.toThrow();
  });

  it('fails when signed by any other key, even one claiming a published kid', async () => {
    const token = await aToken();
    const impostor = await generateKeyPair('ES256');
    const forged = await new SignJWT({ ...decode(token.split('.')[1]!), aal: 2 })
      .setProtectedHeader({ alg: 'ES256', kid: kidOf(token) })
      .sign(impostor.privateKey);
    await expect(verifyToken(t.app, forged)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('fails for another audience and after it expired', async () => {
    const token = await aToken();
    await expect(verifyToken(t.app, token, { audience: 'https://other-api.example' })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    t.app.clock.advance(299_000);
    await expect(verifyToken(t.app, token)).resolves.toBeDefined();
    t.app.clock.advance(2_000);
    await expect(verifyToken(t.app, token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('keeps private keys sealed in the database, tied to the encryption key id', async () => {
    await aToken();
    const [stored] = await t.storage.signingKeys.list();
    expect(stored!.privateJwk.keyId).toBe('t1');
    const raw = Buffer.from(stored!.privateJwk.sealed, 'base64url').toString('latin1');
    expect(raw).not.toContain('"d"');
    expect(raw).not.toContain('P-256');
    expect(Object.keys(stored!.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });
});
