// Single sign-on security: a code is redeemed once (and its tokens die when it is replayed),
// even when redemptions race on one instance or two; a reused refresh token revokes the
// grant; redirect URIs match exactly; aal 2 and max_age are enforced at Keyward; PKCE is
// required of public clients; client secrets are behind the brute-force guard; a consent
// page names every claim it lets out, those asked for by name too.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { embeddedFactory, mongoFactory } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { createCookieSigner } from '../../server/http/sessionCookie.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { burst, countStatuses } from '../helpers/burst.js';
import { assertWith, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import type { TestApp } from '../helpers/testApp.js';
import { authorize, follow, redeem, relyingParty, RP, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile();
const basic = `Basic ${Buffer.from(`app:${SECRET}`).toString('base64')}`;
const port = (app: TestApp) => Number(new URL(app.url).port);

function redemption(a: Awaited<ReturnType<typeof authorize>>) {
  return {
    method: 'POST',
    path: '/oidc/token',
    headers: { Authorization: basic },
    form: { grant_type: 'authorization_code', code: a.callback.searchParams.get('code')!, redirect_uri: RP, code_verifier: a.verifier },
  };
}

/** What a relying party can still do with the tokens of the redemption that won. */
async function stillWorks(config: oidc.Configuration, body: string): Promise<boolean> {
  const tokens = JSON.parse(body) as { access_token: string };
  return oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck).then(
    () => true,
    () => false,
  );
}

describe.each([embeddedFactory, mongoFactory])('single sign-on security: $name', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it('refuses a code used twice and revokes the tokens its first use gave', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const a = await authorize(c, config);
    const first = await redeem(config, a);
    expect((await oidc.fetchUserInfo(config, first.access_token, oidc.skipSubjectCheck)).sub).toBeDefined();
    await expect(redeem(config, a)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, first.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
    await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets one of ten simultaneous redemptions of a code win, and then revokes its tokens too', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'bob');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const a = await authorize(c, config);
    const answers = await burst(port(t.app), Array.from({ length: 10 }, () => redemption(a)));
    expect(countStatuses(answers)).toEqual({ 200: 1, 400: 9 });
    const won = answers.find((r) => r.status === 200)!;
    expect(await stillWorks(config, won.body)).toBe(false);
  });

  it('revokes the grant when a rotated refresh token is presented again', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'carol');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const first = await redeem(config, await authorize(c, config));
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, second.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
  });

  it('lets one of simultaneous uses of a refresh token win', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'dave');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const first = await redeem(config, await authorize(c, config));
    const use = { method: 'POST', path: '/oidc/token', headers: { Authorization: basic }, form: { grant_type: 'refresh_token', refresh_token: first.refresh_token! } };
    const answers = await burst(port(t.app), Array.from({ length: 10 }, () => use));
    expect(countStatuses(answers)[200]).toBe(1);
    expect(await stillWorks(config, answers.find((r) => r.status === 200)!.body)).toBe(false);
  });
});

const NEW_SECRET = 'n'.repeat(40);
const OLD_SECRET = 'o'.repeat(40);

describe('single sign-on security: requests and sign-in', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile, RATE_LIMIT_ACCOUNT_IP_MAX: '3', SESSION_SECRETS: `${NEW_SECRET},${OLD_SECRET}` });

  it('answers a redirect URI that is not registered exactly with a page, never a redirect', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'erin');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    for (const wrong of ['https://evil.example/cb', `${RP}/`, `${RP}?x=1`, 'http://localhost:9/CB']) {
      const started = await startAuthorization(config, { redirect_uri: wrong });
      const res = await c.get<string>(started.url.pathname + started.url.search, { origin: null });
      expect(res.status, wrong).toBe(400);
      expect(res.headers.get('location'), wrong).toBeNull();
      expect(res.body).toContain('redirect_uri');
    }
  });

  it('refuses a public client\'s authorization without PKCE, and a code redeemed with the wrong verifier', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'frank');
    const config = await relyingParty(t.app, 'spa');
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: RP, scope: 'openid' });
    const end = await follow(c, url);
    expect(end.location?.searchParams.get('error')).toBe('invalid_request');
    expect(end.location?.searchParams.get('code')).toBeNull();
    const a = await authorize(c, config);
    await expect(redeem(config, { ...a, verifier: oidc.randomPKCECodeVerifier() })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('asks a person to prove it is them again when max_age is older than their Keyward sign-in, and not otherwise', async () => {
    const c = t.app.client();
    const realNow = t.app.clock.now();
    t.app.clock.set(realNow - 2 * 3600_000);
    const { key } = await signUpWithKey(c, 'grace');
    // Two hours of use since (the session stays within its idle timeout).
    for (let i = 0; i < 6; i++) {
      t.app.clock.advance(20 * 60_000);
      expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated' });
    }
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config, { max_age: '3600' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    expect(atVerify.location?.searchParams.get('again')).toBe('1');
    // Still signed in meanwhile: the re-authentication happens inside the session.
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated' });
    expect((await assertWith(c, key)).status).toBe(200);
    const end = await follow(c, atVerify.location!.searchParams.get('rd')!);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(Number(tokens.claims()?.auth_time)).toBeGreaterThanOrEqual(Math.floor(realNow / 1000) - 1);
    // Now recent enough: the same max_age goes straight through.
    await authorize(c, config, { max_age: '3600' });
  });

  it('makes a person prove it is them again for prompt=login, once', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'heidi');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config, { prompt: 'login' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    t.app.clock.advance(1000);
    expect((await assertWith(c, key)).status).toBe(200);
    const end = await follow(c, atVerify.location!.searchParams.get('rd')!);
    expect(end.location?.searchParams.get('code')).toBeTruthy();
  });

  it('names on a third-party client\'s consent page the claims it asks for by name (claims parameter), which allowing releases', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'kim');
    await t.storage.users.changeGroups((await t.storage.users.findByUsername('kim'))!.id, ['ops'], []);
    const config = await relyingParty(t.app, 'third', { secret: SECRET });
    const started = await startAuthorization(config, { scope: 'openid', claims: JSON.stringify({ id_token: { groups: null }, userinfo: { preferred_username: null } }) });
    const page = await follow(c, started.url);
    const given = /<ul class="scopes">(.*?)<\/ul>/.exec(page.body)![1]!;
    expect(given).toContain('The groups you belong to');
    expect(given).toContain('Your username and display name');
    const action = /action="([^"]+)"/.exec(page.body)![1]!;
    const allowed = await c.request('POST', action, { body: 'decision=allow', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const end = await follow(c, allowed.headers.get('location')!);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.claims()?.['groups']).toEqual(['ops']);
    expect((await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub))['preferred_username']).toBe('kim');
  });

  it('signs the next authorization in as whoever is signed in to Keyward now', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'ivan');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    expect((await redeem(config, await authorize(c, config))).claims()?.preferred_username).toBe('ivan');
    await c.delete('/api/session');
    expect((await follow(c, (await startAuthorization(config)).url)).location?.pathname).toBe('/signin');
    await signUpWithKey(c, 'judy');
    expect((await redeem(config, await authorize(c, config))).claims()?.preferred_username).toBe('judy');
  });

  it('serves an authorization whose Keyward cookie is re-signed on the way (the new cookie goes out with the answer)', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'nina');
    // The cookie as an older SESSION_SECRETS entry signed it: the session layer re-signs it at
    // the next request, which here is answered by the OpenID Provider.
    const id = c.cookies.get('keyward')!.split('.')[0]!;
    c.cookies.set('keyward', createCookieSigner([OLD_SECRET]).sign(id));
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config);
    const first = await c.get(started.url.pathname + started.url.search, { origin: null });
    expect(first.status).toBe(303);
    expect(first.setCookies.some((h) => h.startsWith(`keyward=${createCookieSigner([NEW_SECRET]).sign(id)}`))).toBe(true);
    const end = await follow(c, new URL(first.headers.get('location')!, started.url));
    expect(end.location?.searchParams.get('code')).toBeTruthy();
  });

  it('limits wrong client secrets at the token endpoint (429 with Retry-After), and never locks out the client holding the right one', async () => {
    const wrong = `Basic ${Buffer.from('app:not-the-secret-at-all').toString('base64')}`;
    const attempt = (authorization: string) =>
      fetch(`${t.app.url}/oidc/token`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=x',
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await attempt(wrong);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The client itself authenticates (the refresh token is what is wrong: 400 invalid_grant).
    expect((await attempt(basic)).status).toBe(400);
  });
});

describe('single sign-on security: second factor', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile, MFA_REQUIRED: 'false' });

  it('refuses an essential aal2 to a person without a second factor, and signs them in at aal1 for acr_values=aal2', async () => {
    const c = t.app.client();
    expect((await c.post('/api/accounts', { username: 'kim', password: PASSWORD })).status).toBe(201);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['aal2'] } } }) });
    const end = await follow(c, started.url);
    expect(end.location?.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(end.location?.searchParams.get('code')).toBeNull();
    const tokens = await redeem(config, await authorize(c, config, { acr_values: 'aal2' }));
    expect(tokens.claims()).toMatchObject({ acr: 'aal1', amr: ['pwd'] });
  });

  it('sends a person whose second step is pending to finish it on Keyward\'s verify page before a client gets aal2', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'lee');
    // Sign in again with the password only: the key is pending, the session is not yet aal2.
    await c.delete('/api/session');
    await passwordStep(c, 'lee');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config, { acr_values: 'aal2' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    expect((await assertWith(c, key)).status).toBe(200);
    const end = await follow(c, atVerify.location!.searchParams.get('rd')!);
    expect((await redeem(config, { ...started, callback: end.location! })).claims()?.acr).toBe('aal2');
  });

  it('steps a signed-in aal1 session up with its second factor for acr_values=aal2, without a new sign-in', async () => {
    // kim signs in with a password alone (no factor yet), then adds a key on another device.
    const c = t.app.client();
    expect((await c.post('/api/accounts', { username: 'kim2', password: PASSWORD })).status).toBe(201);
    const other = t.app.client();
    expect((await other.post('/api/session', { username: 'kim2', password: PASSWORD })).body).toMatchObject({ status: 'authenticated' });
    const key = new SoftAuthenticator(other.origin);
    expect((await registerKey(other, key)).status).toBe(201);
    const before = (await c.get<{ status: string; aal: number; authenticatedAt: string }>('/api/session')).body;
    expect(before).toMatchObject({ status: 'authenticated', aal: 1 });

    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const aal1 = await redeem(config, await authorize(c, config));
    expect(aal1.claims()?.acr).toBe('aal1');
    const started = await startAuthorization(config, { acr_values: 'aal2' });
    const atVerify = await follow(c, started.url);
    expect(atVerify.location?.pathname).toBe('/verify');
    // Still the same sign-in: not signed out, no password asked again.
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 1, authenticatedAt: before.authenticatedAt });
    expect((await assertWith(c, key)).status).toBe(200);
    const end = await follow(c, atVerify.location!.searchParams.get('rd')!);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.claims()).toMatchObject({ acr: 'aal2', amr: ['pwd', 'hwk', 'mfa'] });
    // The step-up kept the Keyward session, and with it the tokens issued at aal1.
    expect((await oidc.refreshTokenGrant(config, aal1.refresh_token!)).access_token).toBeDefined();
  });
});

describe('single sign-on security: two instances', () => {
  const t = useTwoInstances('oidcsec', { OIDC_CLIENTS_FILE: clientsFile });

  it('lets one redemption win when instances A and B race for one code, and revokes its tokens', async () => {
    const c = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(c, 'mallory');
    const config = await relyingParty(t.a, 'app', { secret: SECRET });
    const a = await authorize(c, config);
    const answers = await burst((i) => port(i % 2 ? t.b : t.a), Array.from({ length: 10 }, () => redemption(a)));
    expect(countStatuses(answers)).toEqual({ 200: 1, 400: 9 });
    expect(await stillWorks(config, answers.find((r) => r.status === 200)!.body)).toBe(false);
  });
});
