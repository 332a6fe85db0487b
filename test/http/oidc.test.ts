// Keyward as an OpenID Provider, with openid-client 6 as the relying party: discovery, the
// code flow with PKCE, the ID token checked against Keyward's JWKS, userinfo, refresh
// rotation, revocation, introspection, consent, sign-out, and two instances.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { sample } from '../ops/prometheusText.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/testApp.js';
import { capturedLogger } from '../helpers/capturedLogger.js';

const REPO = new URL('../..', import.meta.url).pathname;
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { signUpWithPasskey } from '../helpers/passkeyFlows.js';
import { authorize, follow, redeem, relyingParty, RP, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile([{ client_id: 'es-app', client_secret: SECRET, redirect_uris: [RP], firstParty: true, id_token_signed_response_alg: 'ES256' }]);

describe('single sign-on (OpenID Connect)', () => {
  // Idle timeout above the hour the key-rotation test moves the clock by.
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile, METRICS_PUBLIC: 'true', SIGNING_KEY_ROTATION: '3600', SESSION_IDLE_TIMEOUT: '7200' });

  async function signedIn(name = 'alice') {
    const c = t.app.client();
    await signUpWithKey(c, name);
    return c;
  }

  it('publishes discovery at the issuer with Keyward\'s own signing keys, code flow for browsers (no implicit or hybrid)', async () => {
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(`${t.app.origin}/oidc`);
    expect(meta.response_types_supported).toEqual(['code']);
    // Services acting as themselves, and command lines (test/http/oidcClientCredentials.test.ts, oidcDevice.test.ts).
    expect(meta.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    // RS256 is required by OpenID Connect Discovery 1.0 §3; ES256 beside it.
    expect([...meta.id_token_signing_alg_values_supported!].sort()).toEqual(['ES256', 'RS256']);
    // aal3 only with ATTESTATION_POLICY=mds (test/http/oidcStepUp.security.test.ts).
    expect(meta.acr_values_supported).toEqual(['aal1', 'aal2']);
    const providerKeys = (await (await fetch(meta.jwks_uri!)).json()) as { keys: { kid: string }[] };
    const keywardKeys = (await t.app.client().get<{ keys: { kid: string }[] }>('/.well-known/jwks.json')).body;
    expect(providerKeys.keys.map((k) => k.kid).sort()).toEqual(keywardKeys.keys.map((k) => k.kid).sort());
    expect(new Set(providerKeys.keys.map((k) => (k as { alg?: string }).alg))).toEqual(new Set(['RS256', 'ES256']));
  });

  it('reports a passkey-only sign-in in the ID token as hwk + user (mfa) at acr aal2', async () => {
    const c = t.app.client();
    await signUpWithPasskey(c, 'paula');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config));
    const jwks = createRemoteJWKSet(new URL(`${t.app.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: `${t.app.origin}/oidc`, audience: 'app' });
    expect(payload).toMatchObject({ acr: 'aal2', amr: ['hwk', 'user', 'mfa'], preferred_username: 'paula' });
  });

  it('signs ID tokens with RS256 by default, verifiable against the provider\'s JWKS; a client that asks for ES256 gets ES256', async () => {
    const c = await signedIn('rhea');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!.replace(t.app.origin, t.app.url)));
    const rs = await redeem(config, await authorize(c, config));
    const verified = await jwtVerify(rs.id_token!, jwks, { issuer: `${t.app.origin}/oidc`, audience: 'app', algorithms: ['RS256'] });
    expect(verified.protectedHeader.alg).toBe('RS256');
    expect(verified.payload['preferred_username']).toBe('rhea');

    const esConfig = await relyingParty(t.app, 'es-app', { secret: SECRET });
    const es = await redeem(esConfig, await authorize(c, esConfig));
    const esVerified = await jwtVerify(es.id_token!, jwks, { issuer: `${t.app.origin}/oidc`, audience: 'es-app', algorithms: ['ES256'] });
    expect(esVerified.protectedHeader.alg).toBe('ES256');
  });

  it('signs a person in with code + PKCE: ID token signed by Keyward\'s JWKS, with nonce, acr, amr, auth_time and profile', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const a = await authorize(c, config);
    expect(a.callback.searchParams.get('state')).toBe(a.state);
    const tokens = await redeem(config, a);
    const jwks = createRemoteJWKSet(new URL(`${t.app.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: `${t.app.origin}/oidc`, audience: 'app' });
    expect(protectedHeader.alg).toBe('RS256');
    const me = (await c.get<{ user: { id: string } }>('/api/session')).body.user;
    expect(payload).toMatchObject({ sub: me.id, nonce: a.nonce, acr: 'aal2', amr: ['pwd', 'hwk', 'mfa'], preferred_username: 'alice', name: 'alice' });
    expect(Math.abs(Number(payload['auth_time']) - Math.floor(t.app.clock.now() / 1000))).toBeLessThanOrEqual(1);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, me.id);
    expect(info).toMatchObject({ sub: me.id, preferred_username: 'alice', name: 'alice' });
  });

  it('releases the user\'s groups in the ID token and userinfo under the groups scope, and not without it', async () => {
    const c = await signedIn('grace');
    const id = (await t.storage.users.findByUsername('grace'))!.id;
    await t.storage.users.changeGroups(id, ['ops', 'dev'], []);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    expect(config.serverMetadata().scopes_supported).toContain('groups');
    expect(config.serverMetadata().claims_supported).toContain('groups');
    const withGroups = await redeem(config, await authorize(c, config, { scope: 'openid profile groups' }));
    expect([...(withGroups.claims()?.['groups'] as string[])].sort()).toEqual(['dev', 'ops']);
    const info = await oidc.fetchUserInfo(config, withGroups.access_token, id);
    expect([...(info['groups'] as string[])].sort()).toEqual(['dev', 'ops']);
    const without = await redeem(config, await authorize(c, config, { scope: 'openid profile' }));
    expect(without.claims()).not.toHaveProperty('groups');
    expect(await oidc.fetchUserInfo(config, without.access_token, id)).not.toHaveProperty('groups');
  });

  it('refuses a callback whose state is not the one the relying party sent', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const a = await authorize(c, config);
    const err = (await redeem(config, { ...a, state: 'another-state' }).catch((e: unknown) => e)) as { code?: string; cause?: unknown };
    expect(err.code).toBe('OAUTH_INVALID_RESPONSE');
    expect(String((err.cause as Error).message)).toMatch(/"state"/);
  });

  it('rotates refresh tokens: each use gives a new one, and the access token works', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const first = await redeem(config, await authorize(c, config));
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const third = await oidc.refreshTokenGrant(config, second.refresh_token!);
    const sub = (await oidc.fetchUserInfo(config, third.access_token, oidc.skipSubjectCheck)).sub;
    expect(sub).toBe(second.claims()?.sub);
  });

  it('introspects tokens for the client and revokes them', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config));
    const live = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(live).toMatchObject({ active: true, client_id: 'app', sub: tokens.claims()?.sub, token_type: 'Bearer' });
    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('records authorizations, tokens, refreshes and revocations in the audit trail and the metrics', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config));
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    const second = await authorize(c, config);
    await expect(redeem(config, { ...second, verifier: oidc.randomPKCECodeVerifier() })).rejects.toThrow();
    const events = (await c.get<{ events: { type: string; outcome: string }[] }>('/api/me/activity?limit=50')).body.events.map((e) => `${e.type} ${e.outcome}`);
    for (const e of ['oidc.authorization success', 'oidc.token success', 'oidc.refresh success']) expect(events).toContain(e);
    // Each names the Keyward request it came in, as every other audit event does.
    const stored = (await t.storage.audit.listForUser((await t.storage.users.findByUsername('alice'))!.id, { limit: 50 })).filter((e) => e.type.startsWith('oidc.'));
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (const e of stored) expect({ type: e.type, requestId: e.requestId }).toEqual({ type: e.type, requestId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    const metrics = String((await t.app.client().get('/metrics')).body);
    const count = (event: string, outcome: string) => sample(metrics, 'keyward_oidc_events_total', { event, outcome });
    expect(count('authorization', 'success')).toBe(2);
    expect(count('token', 'success')).toBe(1);
    expect(count('token', 'failure')).toBe(1);
    expect(count('refresh', 'success')).toBe(1);
    expect(count('revocation', 'success')).toBe(1);
    expect(sample(metrics, 'keyward_http_requests_total', { method: 'POST', route: '/oidc/{token}', status: '200' })).toBe(2);
  });

  it('signs ID tokens with the key Keyward rotates to, each verifiable against the one JWKS', async () => {
    // A minute into a rotation period (SIGNING_KEY_ROTATION is one hour here).
    const hour = 3600_000;
    t.app.clock.set(Math.floor(t.app.clock.now() / hour) * hour + 60_000);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    // A new person each time: an hour on, the previous one's session has ended (idle timeout).
    let people = 0;
    const kidOf = async () => {
      const c = await signedIn(`person${people++}`);
      const tokens = await redeem(config, await authorize(c, config));
      const jwks = createRemoteJWKSet(new URL(`${t.app.url}/.well-known/jwks.json`));
      const { protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: `${t.app.origin}/oidc`, audience: 'app' });
      return protectedHeader.kid;
    };
    const first = await kidOf();
    // Into the next period: its key is published first and signs 15 minutes later.
    t.app.clock.advance(hour);
    expect(await kidOf()).toBe(first);
    t.app.clock.advance(16 * 60_000);
    const second = await kidOf();
    expect(second).not.toBe(first);
    const published = (await t.app.client().get<{ keys: { kid: string }[] }>('/.well-known/jwks.json')).body.keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([first, second]));
  });

  it('signs a public client in with PKCE and no secret', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'spa');
    const tokens = await redeem(config, await authorize(c, config));
    expect(tokens.claims()?.preferred_username).toBe('alice');
  });

  it('sends a person without a Keyward session to Keyward\'s sign-in page, and back to the application after', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'bob');
    await c.delete('/api/session');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const started = await startAuthorization(config);
    const atSignIn = await follow(c, started.url);
    expect(atSignIn.location?.pathname).toBe('/signin');
    const rd = atSignIn.location!.searchParams.get('rd')!;
    expect(rd).toMatch(new RegExp(`^${t.app.origin}/oidc/interaction/`));
    // What the sign-in page does: password, key, then the return address the server allows.
    await passwordStep(c, 'bob');
    expect((await assertWith(c, key)).status).toBe(200);
    expect((await c.get<{ rd: string | null }>(`/api/authz/return?rd=${encodeURIComponent(rd)}`)).body.rd).toBe(rd);
    const end = await follow(c, rd);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.claims()).toMatchObject({ preferred_username: 'bob', acr: 'aal2' });
  });

  it('asks a person before signing them in to a client that is not first-party, and says no when they deny', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'third', { secret: SECRET });
    const started = await startAuthorization(config);
    const consent = await follow(c, started.url);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Allow Third Party?');
    const action = /action="([^"]+)"/.exec(consent.body)![1]!;
    const allowed = await c.request('POST', action, { body: 'decision=allow', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(allowed.status).toBe(303);
    const end = await follow(c, allowed.headers.get('location')!);
    expect(end.location?.href.startsWith(RP)).toBe(true);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.claims()?.preferred_username).toBe('alice');

    const again = await startAuthorization(config, { scope: 'openid profile offline_access', prompt: 'consent' });
    const asked = await follow(c, again.url);
    const denyAction = /action="([^"]+)"/.exec(asked.body)![1]!;
    const denied = await c.request('POST', denyAction, { body: 'decision=deny', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const refused = await follow(c, denied.headers.get('location')!);
    expect(refused.location?.searchParams.get('error')).toBe('access_denied');
  });

  it('ends the Keyward session with RP-initiated logout, so the next authorization signs in again', async () => {
    const c = await signedIn();
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config));
    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://localhost:9/bye' });
    const page = await follow(c, logout);
    expect(page.body).toContain('Sign out');
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body)!;
    const fields = new URLSearchParams([...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    fields.set('logout', 'yes');
    const path = new URL(form[1]!, c.origin);
    const confirmed = await c.request('POST', path.pathname, { body: fields.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, origin: null });
    expect(confirmed.headers.get('location')).toBe('http://localhost:9/bye');
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const userId = tokens.claims()!.sub;
    const logouts = (await t.storage.audit.listForUser(userId, { limit: 50 })).filter((e) => e.type === 'oidc.logout');
    expect(logouts.map((e) => e.details['by'])).toContain('client');
    const next = await follow(c, (await startAuthorization(config)).url);
    expect(next.location?.pathname).toBe('/signin');
  });
});

describe('single sign-on at its well-known addresses, in the logs and the metrics', () => {
  const env = { OIDC_CLIENTS_FILE: clientsFile, METRICS_PUBLIC: 'true' };
  let log: ReturnType<typeof capturedLogger>;
  let app: TestApp;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    log = capturedLogger();
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    app = await startTestApp({ storage: created.storage, env, logger: log.logger });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  it('serves OAuth 2.0 Authorization Server Metadata at the RFC 8414 address: the issuer and endpoints of discovery', async () => {
    const discovery = await fetch(`${app.url}/oidc/.well-known/openid-configuration`);
    const metadata = await fetch(`${app.url}/.well-known/oauth-authorization-server/oidc`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/json');
    expect(metadata.headers.get('cache-control')).toBe(discovery.headers.get('cache-control'));
    const doc = (await metadata.json()) as Record<string, unknown>;
    const expected = (await discovery.json()) as Record<string, unknown>;
    expect(doc['issuer']).toBe(`${app.origin}/oidc`);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint']) {
      expect(doc[key]).toBe(expected[key]);
      expect(String(doc[key])).toMatch(new RegExp(`^${app.url}/oidc/`));
    }
    expect(doc).toEqual(expected);
    // Only the RFC 8414 form: OIDC discovery with the path inserted is not a standard address.
    expect((await fetch(`${app.url}/.well-known/openid-configuration/oidc`)).status).toBe(404);
    const metrics = String((await app.client().get('/metrics')).body);
    expect(sample(metrics, 'keyward_http_requests_total', { method: 'GET', route: '/.well-known/oauth-authorization-server/oidc', status: '200' })).toBe(1);
  });

  it('logs and counts provider requests under the path the client asked for, /oidc included', async () => {
    expect((await fetch(`${app.url}/oidc/jwks`)).status).toBe(200);
    const token = await fetch(`${app.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=nope' });
    expect(token.status).toBe(400);
    const lines = log.lines.filter((l) => l['msg'] === 'request').map((l) => `${String(l['method'])} ${String(l['path'])} ${String(l['status'])}`);
    expect(lines).toContain('GET /oidc/jwks 200');
    expect(lines).toContain('POST /oidc/token 400');
    const metrics = String((await app.client().get('/metrics')).body);
    expect(sample(metrics, 'keyward_http_requests_total', { method: 'GET', route: '/oidc/{jwks}', status: '200' })).toBe(1);
    expect(sample(metrics, 'keyward_http_requests_total', { method: 'POST', route: '/oidc/{token}', status: '400' })).toBe(1);
  });
});

describe('single sign-on on two instances', () => {
  const t = useTwoInstances('oidc', { OIDC_CLIENTS_FILE: clientsFile });

  it('redeems on instance B a code issued on instance A', async () => {
    const c = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(c, 'carol');
    const onA = await relyingParty(t.a, 'app', { secret: SECRET });
    const onB = await relyingParty(t.a, 'app', { secret: SECRET, via: t.b });
    const tokens = await redeem(onB, await authorize(c, onA));
    expect(tokens.claims()?.preferred_username).toBe('carol');
    // One key ring: both instances publish the same keys, so either's JWKS verifies the other's token.
    const jwksOf = async (app: typeof t.a) => ((await (await fetch(`${app.url}/oidc/jwks`)).json()) as { keys: unknown[] }).keys;
    expect(await jwksOf(t.b)).toEqual(await jwksOf(t.a));
    const verified = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${t.b.url}/oidc/jwks`)), { issuer: t.a.config.oidc.issuer, audience: 'app', algorithms: ['RS256'] });
    expect(verified.protectedHeader.alg).toBe('RS256');
    const info = await oidc.fetchUserInfo(onA, tokens.access_token, oidc.skipSubjectCheck);
    expect(info.preferred_username).toBe('carol');
  });
});

describe('keyward oidc clients (the CLI)', () => {
  const run = promisify(execFile);
  const cli = (dataDir: string, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'oidc', 'clients', ...args], {
      cwd: REPO,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...TEST_SECRETS },
    });

  it('adds a client whose secret is shown once and works, lists it, and removes it', async () => {
    const created = await embeddedFactory.create();
    const dataDir = dirname((created.storage as typeof created.storage & { file: string }).file);
    const added = await cli(dataDir, ['add', 'wiki', '--redirect-uri', RP, '--name', 'The Wiki', '--first-party', '--id-token-alg', 'ES256']);
    const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const stored = JSON.stringify(await created.storage.oidc.listKind('Client'));
    expect(stored).not.toContain(secret);
    expect((await cli(dataDir, ['list'])).stdout).toMatch(/^wiki\tconfidential\tfirst-party\taal2\tThe Wiki\thttp:\/\/localhost:9\/cb$/m);
    const app = await startTestApp({ storage: created.storage });
    try {
      const c = app.client();
      await signUpWithKey(c, 'olivia');
      const config = await relyingParty(app, 'wiki', { secret });
      const wikiTokens = await redeem(config, await authorize(c, config));
      expect(wikiTokens.claims()?.preferred_username).toBe('olivia');
      expect(JSON.parse(Buffer.from(wikiTokens.id_token!.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
      const wrongSecret = await relyingParty(app, 'wiki', { secret: `${secret}x` });
      await expect(redeem(wrongSecret, await authorize(c, wrongSecret))).rejects.toMatchObject({ status: 401, cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_client' }) })] });
      await cli(dataDir, ['remove', 'wiki']);
      await expect(redeem(config, await startAuthorization(config).then(async (s) => ({ ...s, callback: new URL(`${RP}?code=x&state=${s.state}&iss=${encodeURIComponent(app.config.oidc.issuer)}`) })))).rejects.toMatchObject({ status: 401, cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_client' }) })] });
      const refused = await cli(dataDir, ['add', 'bad', '--redirect-uri', 'not a url']).catch((err: { code: number; stdout: string }) => err);
      expect(refused).toMatchObject({ code: 1 });
    } finally {
      await app.close();
      await created.dispose();
    }
  });
});
