// The end-session endpoint called by a relying party's server (oauth2-proxy's
// --backend-logout-url): only an ID token Keyward signed ends a session, only the one it was
// issued in, and a browser still has to confirm a sign-out it is asked for.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { HttpClient } from '../helpers/httpClient.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, redeem, relyingParty, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile();

describe.each(storageFactories)('signing out from a relying party\'s server ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  async function signedInWithIdToken(username: string) {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, username);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    return { c, key, idToken: (await redeem(config, await authorize(c, config))).id_token! };
  }

  const serverCall = (idToken: string) => new HttpClient(t.app.url, t.app.origin).get<string>(`/oidc/session/end?id_token_hint=${encodeURIComponent(idToken)}`, { origin: null });
  const status = async (c: HttpClient) => ((await c.get<{ status: string }>('/api/session')).body).status;

  it('ends the session the ID token was issued in, and no other of that person', async () => {
    const { c, key, idToken } = await signedInWithIdToken('alice');
    const other = t.app.client();
    await passwordStep(other, 'alice');
    expect((await assertWith(other, key)).status).toBe(200);
    expect((await serverCall(idToken)).status).toBe(200);
    expect(await status(c)).toBe('anonymous');
    expect(await status(other)).toBe('authenticated');
  });

  it('ends nothing for an ID token whose signature is not Keyward\'s, and the session for the genuine one', async () => {
    const { c, idToken } = await signedInWithIdToken('alice');
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, iat: Number(claims['iat']) + 1 })).toString('base64url'), signature].join('.');
    const unsigned = [Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url'), payload, ''].join('.');
    for (const hint of [forged, unsigned, 'not-a-token']) {
      expect((await serverCall(hint)).status).not.toBe(200);
      expect(await status(c)).toBe('authenticated');
    }
    expect((await serverCall(idToken)).status).toBe(200);
    expect(await status(c)).toBe('anonymous');
  });

  it('asks a browser that has its Keyward session to confirm, where its server ends the session at once', async () => {
    const { c, idToken } = await signedInWithIdToken('alice');
    const page = await c.get<string>(`/oidc/session/end?id_token_hint=${encodeURIComponent(idToken)}`, { origin: null });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('name="xsrf"');
    expect(await status(c)).toBe('authenticated');
    expect((await serverCall(idToken)).status).toBe(200);
    expect(await status(c)).toBe('anonymous');
  });
});
