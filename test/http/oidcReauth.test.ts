// One application asking the person to sign in again (prompt=login, max_age) leaves the
// others alone: the person proves it is them inside the Keyward session they have (its id
// rotates, its grants stay), the asking client gets a new auth_time, and a person who gives
// up is still signed in as before, on both stores.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { assertWith, signUpWithKey } from '../helpers/webauthnFlows.js';
import type { HttpClient } from '../helpers/httpClient.js';
import type { Storage } from '../../server/storage/port.js';
import { authorize, follow, redeem, relyingParty, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile([{ client_id: 'other', client_secret: SECRET, redirect_uris: ['http://localhost:9/cb'], firstParty: true }]);
type Tokens = Awaited<ReturnType<typeof redeem>>;

async function expectLive(config: oidc.Configuration, tokens: Tokens) {
  expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
  expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).refresh_token).toBeDefined();
}

const sessionCookie = (c: HttpClient) => c.cookies.get('keyward');
const logouts = async (storage: Storage, userId: string) => (await storage.audit.listForUser(userId, { limit: 50 })).filter((e) => e.type === 'oidc.logout').length;

describe.each(storageFactories)('signing in again for one application ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it('keeps client A\'s tokens working when client B asks prompt=login, and gives B a new auth_time in the same session', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'ada');
    const a = await relyingParty(t.app, 'app', { secret: SECRET });
    const b = await relyingParty(t.app, 'other', { secret: SECRET });
    const aTokens = await redeem(a, await authorize(c, a, { scope: 'openid offline_access' }));
    const first = await redeem(b, await authorize(c, b));
    const cookieBefore = sessionCookie(c);
    const handleBefore = (await t.storage.sessions.listForUser(first.claims()!.sub, t.app.clock.now())).map((s) => s.publicId);

    t.app.clock.advance(5000);
    const started = await startAuthorization(b, { prompt: 'login' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    expect((await assertWith(c, key)).status).toBe(200);
    const end = await follow(c, atVerify.location!.searchParams.get('rd')!);
    const again = await redeem(b, { ...started, callback: end.location! });
    expect(Number(again.claims()!.auth_time)).toBe(Number(first.claims()!.auth_time) + 5);
    expect(again.claims()).toMatchObject({ acr: 'aal2', amr: expect.arrayContaining(['hwk']) });

    // The same Keyward session under a new id: one session, the same handle, a new cookie.
    expect(sessionCookie(c)).not.toBe(cookieBefore);
    expect((await t.storage.sessions.listForUser(first.claims()!.sub, t.app.clock.now())).map((s) => s.publicId)).toEqual(handleBefore);
    await expectLive(a, aTokens);
    await expectLive(b, first);
    expect(await logouts(t.storage, first.claims()!.sub)).toBe(0);
  });

  it('leaves the person signed in, and A\'s tokens working, when they give up B\'s re-sign-in; B gets login_required', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'bea');
    const a = await relyingParty(t.app, 'app', { secret: SECRET });
    const b = await relyingParty(t.app, 'other', { secret: SECRET });
    const aTokens = await redeem(a, await authorize(c, a));
    const started = await startAuthorization(b, { max_age: '0' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    // The person closes the page; later, on any page, they are still signed in.
    expect((await c.get('/api/whoami')).status).toBe(200);
    await expectLive(a, aTokens);
    // Coming back without having verified: B is told, nothing loops.
    const back = await follow(c, atVerify.location!.searchParams.get('rd')!);
    expect(back.location?.searchParams.get('error')).toBe('login_required');
    expect((await c.get('/api/whoami')).status).toBe(200);
    expect((await redeem(a, await authorize(c, a))).claims()?.preferred_username).toBe('bea');
  });
});

describe('signing in again with a password alone', () => {
  const t = useApp(storageFactories[0]!, { OIDC_CLIENTS_FILE: clientsFile, MFA_REQUIRED: 'false' });

  it('asks for the password again on the sign-in page, inside the same session, and keeps A\'s tokens', async () => {
    const c = t.app.client();
    expect((await c.post('/api/accounts', { username: 'cleo', password: PASSWORD })).status).toBe(201);
    const a = await relyingParty(t.app, 'app', { secret: SECRET });
    const b = await relyingParty(t.app, 'other', { secret: SECRET });
    const aTokens = await redeem(a, await authorize(c, a));
    t.app.clock.advance(7000);
    const started = await startAuthorization(b, { prompt: 'login' });
    const atSignIn = await follow(c, started.url);
    expect(atSignIn.location?.pathname).toBe('/signin');
    expect(atSignIn.location?.searchParams.get('again')).toBe('1');
    expect((await c.post('/api/session', { username: 'cleo', password: PASSWORD })).body).toMatchObject({ status: 'authenticated' });
    const end = await follow(c, atSignIn.location!.searchParams.get('rd')!);
    const tokens = await redeem(b, { ...started, callback: end.location! });
    expect(Number(tokens.claims()!.auth_time)).toBe(Number(aTokens.claims()!.auth_time) + 7);
    await expectLive(a, aTokens);
  });
});
