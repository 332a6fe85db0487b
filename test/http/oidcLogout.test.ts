// Signing out of Keyward ends single sign-on: the provider session made in that Keyward
// session ends, and the grants made in it are revoked with their refresh and access tokens
// (offline_access ones too), however the Keyward session ends, on both stores and on any instance.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { sample } from '../ops/prometheusText.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, follow, redeem, relyingParty, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { PASSWORD } from '../helpers/appFixture.js';

const clientsFile = writeClientsFile();
type Config = oidc.Configuration;
type Tokens = Awaited<ReturnType<typeof redeem>>;

async function expectEnded(config: Config, tokens: Tokens) {
  await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
}

async function expectLive(config: Config, tokens: Tokens) {
  expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
  expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).refresh_token).toBeDefined();
}

describe.each(storageFactories)('signing out of Keyward ends single sign-on ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile, METRICS_PUBLIC: 'true', ADMIN_USERNAMES: 'root' });

  /** alice on a laptop (sign-up with a key) and on a phone (password + key), each signed in to "app". */
  async function twoDevices() {
    const laptop = t.app.client();
    const { key } = await signUpWithKey(laptop, 'alice');
    const phone = t.app.client();
    await passwordStep(phone, 'alice');
    expect((await assertWith(phone, key)).status).toBe(200);
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    return { laptop, phone, key, config, onLaptop: await redeem(config, await authorize(laptop, config)), onPhone: await redeem(config, await authorize(phone, config)) };
  }

  it('revokes the refresh and access tokens issued in the session: refresh fails, introspection says inactive, userinfo refuses', async () => {
    const { phone, config, onLaptop, onPhone } = await twoDevices();
    expect((await phone.delete('/api/session')).status).toBe(204);
    await expectEnded(config, onPhone);
    await expectLive(config, onLaptop);
  });

  it('revokes offline_access tokens too, and the next authorization signs in again', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'bob');
    const config = await relyingParty(t.app, 'third', { secret: SECRET });
    const started = await startAuthorization(config, { scope: 'openid offline_access', prompt: 'consent' });
    const consent = await follow(c, started.url);
    const action = /action="([^"]+)"/.exec(consent.body)![1]!;
    const allowed = await c.request('POST', action, { body: 'decision=allow', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const end = await follow(c, allowed.headers.get('location')!);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.scope?.split(' ')).toContain('offline_access');
    expect((await c.delete('/api/session')).status).toBe(204);
    await expectEnded(config, tokens);
    expect((await follow(c, (await startAuthorization(config)).url)).location?.pathname).toBe('/signin');
  });

  it('ends the tokens of a session revoked from the session list, and keeps those of the session asking', async () => {
    const { laptop, config, onLaptop, onPhone } = await twoDevices();
    const phoneSession = (await laptop.get<{ sessions: { id: string; current: boolean }[] }>('/api/me/sessions')).body.sessions.find((s) => !s.current)!;
    expect((await laptop.delete(`/api/me/sessions/${phoneSession.id}`)).status).toBe(204);
    await expectEnded(config, onPhone);
    await expectLive(config, onLaptop);
  });

  it('ends the other sessions\' tokens when the password changes, and keeps the current one\'s', async () => {
    const { laptop, config, onLaptop, onPhone } = await twoDevices();
    expect((await laptop.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'another long passphrase here' })).status).toBe(204);
    await expectEnded(config, onPhone);
    await expectLive(config, onLaptop);
  });

  it('ends every token of a user whose sessions an administrator revokes or whose second factors are reset', async () => {
    const root = t.app.client();
    await signUpWithKey(root, 'root');
    const { config, onLaptop, onPhone } = await twoDevices();
    const alice = (await t.storage.users.findByUsername('alice'))!.id;
    expect((await root.post(`/api/admin/users/${alice}/sessions/revoke`, {})).status).toBe(200);
    await expectEnded(config, onLaptop);
    await expectEnded(config, onPhone);

    const carol = t.app.client();
    await signUpWithKey(carol, 'carol');
    const tokens = await redeem(config, await authorize(carol, config));
    const carolId = (await t.storage.users.findByUsername('carol'))!.id;
    expect((await root.post(`/api/admin/users/${carolId}/reset-mfa`, {})).status).toBe(200);
    await expectEnded(config, tokens);
  });

  it('records the sign-out of single sign-on in the audit trail and the metrics', async () => {
    const { phone } = await twoDevices();
    expect((await phone.delete('/api/session')).status).toBe(204);
    const alice = (await t.storage.users.findByUsername('alice'))!.id;
    const events = await t.storage.audit.listForUser(alice, { limit: 50 });
    expect(events.find((e) => e.type === 'oidc.logout')).toMatchObject({ outcome: 'success', details: { by: 'keyward', sessions: 1, grants: 1 } });
    const metrics = String((await t.app.client().get('/metrics')).body);
    expect(sample(metrics, 'keyward_oidc_events_total', { event: 'logout', outcome: 'success' })).toBe(1);
  });
});

describe('signing out of Keyward on another instance', () => {
  const t = useTwoInstances('oidclogout', { OIDC_CLIENTS_FILE: clientsFile });

  it('ends on instance B the tokens issued on instance A', async () => {
    const onA = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(onA, 'dave');
    const config = await relyingParty(t.a, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(onA, config));
    const onB = new HttpClient(t.b.url, t.b.config.origins[0]!);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    expect((await onB.delete('/api/session')).status).toBe(204);
    await expectEnded(config, tokens);
  });
});
