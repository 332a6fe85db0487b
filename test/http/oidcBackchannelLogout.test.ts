// Back-channel logout (OpenID Connect Back-Channel Logout 1.0): whenever a Keyward session
// ends, for any reason, every client that got tokens in it and registered a
// backchannel_logout_uri receives a signed logout token naming the session (sid, the same as
// in its ID tokens) and the person (sub): a relying party's real endpoint checks each one with
// jose against Keyward's JWKS. Owed logouts are queued in the database: a client that fails is
// tried again after a back-off, a restarted Keyward still delivers them, and two instances
// deliver each one once.
import { afterAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { useSmtpSink } from '../helpers/smtpSink.js';
import { confirmAddress, requestReset } from '../helpers/resetFlows.js';
import type { Env } from '../../server/config.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/testApp.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { HttpClient } from '../helpers/httpClient.js';
import type { Storage } from '../../server/storage/port.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, follow, redeem, relyingParty, RP, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { startLogoutReceiver } from '../helpers/logoutReceiver.js';
import { retryDelay } from '../../server/oidc/backchannelLogout.js';

let current: TestApp | null = null;
const receiver = await startLogoutReceiver({ issuer: () => current!.config.oidc.issuer, jwksUrl: () => `${current!.url}/oidc/jwks` });
afterAll(() => receiver.close());
const clientsFile = writeClientsFile([
  { client_id: 'bc', client_secret: SECRET, redirect_uris: ['http://localhost:9/cb'], firstParty: true, backchannel_logout_uri: receiver.url, backchannel_logout_session_required: true },
]);
const env = { OIDC_CLIENTS_FILE: clientsFile, ADMIN_USERNAMES: 'root', SESSION_IDLE_TIMEOUT: String(30 * 60) };

async function userIdOf(storage: Storage, username: string): Promise<string> {
  return (await storage.users.findByUsername(username))!.id;
}

/** `c`'s tokens for "bc" (back-channel) and "app" (none registered), with the ID tokens' claims. */
async function tokensIn(app: TestApp, c: HttpClient) {
  const bc = await relyingParty(app, 'bc', { secret: SECRET });
  const plain = await relyingParty(app, 'app', { secret: SECRET });
  const bcTokens = await redeem(bc, await authorize(c, bc));
  const appTokens = await redeem(plain, await authorize(c, plain));
  return { bc, bcTokens, bcClaims: bcTokens.claims()!, appClaims: appTokens.claims()! };
}

describe.each(storageFactories)('back-channel logout ($name)', (factory) => {
  const t = useApp(factory, env);
  const use = () => (current = t.app);

  /** alice on a laptop and a phone, each signed in to "bc" and "app". */
  async function twoDevices(username = 'alice') {
    use();
    const laptop = t.app.client();
    const { key } = await signUpWithKey(laptop, username);
    const phone = t.app.client();
    await passwordStep(phone, username);
    expect((await assertWith(phone, key)).status).toBe(200);
    const sub = await userIdOf(t.storage, username);
    return { laptop, phone, key, sub, onLaptop: await tokensIn(t.app, laptop), onPhone: await tokensIn(t.app, phone) };
  }

  it('puts the Keyward session in every ID token as sid, the same for every client of that session', async () => {
    const { onLaptop, onPhone } = await twoDevices();
    expect(onLaptop.bcClaims.sid).toEqual(expect.any(String));
    expect(onLaptop.appClaims.sid).toBe(onLaptop.bcClaims.sid);
    expect(onPhone.bcClaims.sid).not.toBe(onLaptop.bcClaims.sid);
    const refreshed = await oidc.refreshTokenGrant(onLaptop.bc, onLaptop.bcTokens.refresh_token!);
    expect(refreshed.claims()?.sid).toBe(onLaptop.bcClaims.sid);
  });

  it('sends a signed logout token for a sign-out, naming that session only, to the clients that registered for it', async () => {
    const { phone, sub, onPhone } = await twoDevices();
    expect((await phone.delete('/api/session')).status).toBe(204);
    await t.app.background.run();
    const got = receiver.forSub(sub);
    expect(got).toHaveLength(1);
    expect(got[0]!.payload).toMatchObject({ aud: 'bc', sub, sid: onPhone.bcClaims.sid, iss: t.app.config.oidc.issuer });
    expect(got[0]!.header).toMatchObject({ typ: 'logout+jwt', alg: 'RS256' });
  });

  it('sends one for a session revoked from the session list', async () => {
    const { laptop, sub, onPhone } = await twoDevices();
    const phoneSession = (await laptop.get<{ sessions: { id: string; current: boolean }[] }>('/api/me/sessions')).body.sessions.find((s) => !s.current)!;
    expect((await laptop.delete(`/api/me/sessions/${phoneSession.id}`)).status).toBe(204);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([onPhone.bcClaims.sid]);
  });

  it('sends one for each other session when the password changes, none for the session that changed it', async () => {
    const { laptop, sub, onPhone } = await twoDevices();
    expect((await laptop.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'another long passphrase here' })).status).toBe(204);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([onPhone.bcClaims.sid]);
  });

  it('sends one for every session an administrator ends', async () => {
    const root = t.app.client();
    use();
    await signUpWithKey(root, 'root');
    const { sub, onLaptop, onPhone } = await twoDevices();
    expect((await root.post(`/api/admin/users/${sub}/sessions/revoke`, {})).status).toBe(200);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid).sort()).toEqual([onLaptop.bcClaims.sid, onPhone.bcClaims.sid].sort());
  });

  it('sends one when a session expires, found by the background work once it has, and leaves the tokens to their lifetimes', async () => {
    const { sub, onLaptop, onPhone } = await twoDevices();
    t.app.clock.advance(30 * 60_000 - 60_000);
    await t.app.background.run();
    expect(receiver.forSub(sub)).toHaveLength(0);
    t.app.clock.advance(60_000);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid).sort()).toEqual([onLaptop.bcClaims.sid, onPhone.bcClaims.sid].sort());
    // Told once: the next runs find nothing more to end.
    await t.app.background.run();
    expect(receiver.forSub(sub)).toHaveLength(2);
    // Nobody signed out: the tokens keep their own lifetimes, the client decides.
    expect((await oidc.refreshTokenGrant(onLaptop.bc, onLaptop.bcTokens.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it('sends one when the person signs out through the client (RP-initiated logout)', async () => {
    use();
    const c = t.app.client();
    await signUpWithKey(c, 'erin');
    const sub = await userIdOf(t.storage, 'erin');
    const { bc, bcTokens, bcClaims } = await tokensIn(t.app, c);
    const page = await follow(c, oidc.buildEndSessionUrl(bc, { id_token_hint: bcTokens.id_token! }));
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(page.body)!;
    const confirmed = await c.request('POST', new URL(form[1]!, t.app.url).pathname, { body: `xsrf=${form[2]}&logout=yes`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(confirmed.status).toBe(303);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([bcClaims.sid]);
  });

  it('tries again after the client failed, not before its back-off, and then delivers', async () => {
    const { phone, sub, onPhone } = await twoDevices();
    receiver.failNext(2);
    const failedBefore = receiver.failed;
    expect((await phone.delete('/api/session')).status).toBe(204);
    await t.app.background.run();
    expect(receiver.failed - failedBefore).toBe(1);
    t.app.clock.advance(retryDelay(1) - 1);
    await t.app.background.run();
    expect(receiver.failed - failedBefore).toBe(1);
    t.app.clock.advance(1);
    await t.app.background.run();
    expect(receiver.failed - failedBefore).toBe(2);
    expect(receiver.forSub(sub)).toHaveLength(0);
    t.app.clock.advance(retryDelay(2));
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([onPhone.bcClaims.sid]);
    await t.app.background.run();
    expect(receiver.forSub(sub)).toHaveLength(1);
  });

  it('delivers after a restart what was owed before it', async () => {
    const { phone, sub, onPhone } = await twoDevices();
    receiver.failNext(1);
    expect((await phone.delete('/api/session')).status).toBe(204);
    await t.app.background.run();
    expect(receiver.forSub(sub)).toHaveLength(0);
    await t.app.close();
    const restarted = await startTestApp({ storage: t.storage, env, clock: t.app.clock });
    current = restarted;
    try {
      restarted.clock.advance(retryDelay(1));
      await restarted.background.run();
      expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([onPhone.bcClaims.sid]);
    } finally {
      await restarted.close();
      // useApp's own close finds the server closed already.
      t.app = await startTestApp({ storage: t.storage, env });
    }
  });
});

describe('back-channel logout after a password reset', () => {
  const resetEnv: Env = { ...env };
  const smtp = useSmtpSink(resetEnv);
  const t = useApp(embeddedFactory, resetEnv);

  it('sends one for every session a password reset ends', async () => {
    current = t.app;
    const laptop = t.app.client();
    const { key } = await signUpWithKey(laptop, 'frank');
    const sub = await userIdOf(t.storage, 'frank');
    const { bcClaims } = await tokensIn(t.app, laptop);
    await confirmAddress(t.storage, 'frank', 'frank@mail.test', t.app.clock.now());
    const token = await requestReset(t.app.client(), smtp, 'frank', 'frank@mail.test');
    const c = t.app.client();
    expect((await c.post('/api/password-reset/open', { token })).status).toBe(200);
    expect((await assertWith(c, key)).status).toBe(200);
    expect((await c.post('/api/password-reset/complete', { password: 'a brand new passphrase' })).status).toBe(200);
    await t.app.background.run();
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([bcClaims.sid]);
  });
});

describe('back-channel logout on two instances', () => {
  const t = useTwoInstances('backchannel', env);

  it('is delivered once when the session ends on the other instance and both run their queue at once', async () => {
    current = t.a;
    const onA = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(onA, 'dave');
    const sub = await userIdOf(t.stores[0]!, 'dave');
    const bc = await relyingParty(t.a, 'bc', { secret: SECRET });
    const claims = (await redeem(bc, await authorize(onA, bc))).claims()!;
    const onB = new HttpClient(t.b.url, t.b.config.origins[0]!);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    receiver.failNext(1);
    expect((await onB.delete('/api/session')).status).toBe(204);
    await t.b.background.run();
    t.a.clock.advance(retryDelay(1));
    await Promise.all([t.a.background.run(), t.b.background.run(), t.a.background.run(), t.b.background.run()]);
    expect(receiver.forSub(sub).map((r) => r.payload.sid)).toEqual([claims.sid]);
  });
});

describe('back-channel logout for a client registered with the CLI', () => {
  const run = promisify(execFile);

  it('takes --backchannel-logout-uri, and the client is sent logout tokens with sid', async () => {
    const created = await embeddedFactory.create();
    const dataDir = dirname((created.storage as typeof created.storage & { file: string }).file);
    const added = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'oidc', 'clients', 'add', 'wiki', '--redirect-uri', RP, '--first-party', '--backchannel-logout-uri', receiver.url], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...TEST_SECRETS },
    });
    const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
    const app = await startTestApp({ storage: created.storage });
    current = app;
    try {
      const c = app.client();
      await signUpWithKey(c, 'olivia');
      const sub = await userIdOf(created.storage, 'olivia');
      const wiki = await relyingParty(app, 'wiki', { secret });
      const claims = (await redeem(wiki, await authorize(c, wiki))).claims()!;
      expect((await c.delete('/api/session')).status).toBe(204);
      await app.background.run();
      expect(receiver.forSub(sub).map((r) => ({ aud: r.payload.aud, sid: r.payload.sid }))).toEqual([{ aud: 'wiki', sid: claims.sid }]);
    } finally {
      await app.close();
      await created.dispose();
    }
  });
});

