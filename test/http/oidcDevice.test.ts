// The device authorization grant (RFC 8628) with openid-client 6 as the command line: it
// shows a code, the person enters it on Keyward's page while signed in, confirms with a key
// tap, and the command line's polling gets tokens for that person; polling too fast is told
// to slow down, codes are single use and expire, and the page speaks the person's language.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories, embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { relyingParty, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { approveDevice, DEVICE_GRANT, deviceClients, openDevicePage, postDeviceForm } from '../helpers/deviceFlow.js';

const clientsFile = writeClientsFile(deviceClients);

/** One poll of the token endpoint, as a command line polls: the tokens, or the OAuth error. */
async function poll(config: oidc.Configuration, deviceCode: string): Promise<string> {
  return oidc.genericGrantRequest(config, DEVICE_GRANT, { device_code: deviceCode }).then(
    () => 'tokens',
    (e: { error?: string }) => String(e.error),
  );
}

describe.each(storageFactories)('device sign-in ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it('signs a command line in as the person who entered its code and tapped their key', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'dora');
    const config = await relyingParty(t.app, 'cli');
    expect(new URL(config.serverMetadata().device_authorization_endpoint!).pathname).toBe('/oidc/device/auth');
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.interval).toBe(5);
    expect(new URL(started.verification_uri).pathname).toBe('/oidc/device');

    t.app.clock.advance(3000);
    const done = await approveDevice(c, key, started.verification_uri_complete!, started.user_code);
    expect(done).toContain('Deploy CLI is signed in');

    const tokens = await oidc.pollDeviceAuthorizationGrant(config, started);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ preferred_username: 'dora', acr: 'aal2', amr: expect.arrayContaining(['hwk']) });
    // Proved at the confirmation, not when the session began.
    expect(Number(claims.auth_time)).toBe(Math.floor(t.app.clock.now() / 1000));
    expect(tokens.refresh_token).toBeDefined();
    expect((await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)).preferred_username).toBe('dora');

    // Single use: the device code is spent, and the user code no longer names anything.
    expect(await poll(config, started.device_code)).toBe('invalid_grant');
    const again = await openDevicePage(c, started.verification_uri);
    expect((await postDeviceForm(c, again, { user_code: started.user_code })).body).toContain('That code is not right');
  });

  it('tells a command line polling within the interval to slow down, and one that waits that it is pending', async () => {
    const config = await relyingParty(t.app, 'tv', { secret: 'tv-secret-0123456789abcdef' });
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    expect(await poll(config, started.device_code)).toBe('authorization_pending');
    expect(await poll(config, started.device_code)).toBe('slow_down');
    t.app.clock.advance(5000);
    expect(await poll(config, started.device_code)).toBe('authorization_pending');
    expect(await poll(config, started.device_code)).toBe('slow_down');
  });

  it('refuses a code after it expired, on the page and to the polling command line', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'emil');
    const config = await relyingParty(t.app, 'cli');
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    t.app.clock.advance(601_000);
    const entry = await openDevicePage(c, started.verification_uri);
    expect((await postDeviceForm(c, entry, { user_code: started.user_code })).body).toContain('That code is not right');
    // The store forgets an expired code: to the provider it is then unknown, not expired.
    expect(await poll(config, started.device_code)).toBe('invalid_grant');
  });

  it('tells the command line access_denied when the person cancels', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'fritz');
    const config = await relyingParty(t.app, 'cli');
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const entry = await openDevicePage(c, started.verification_uri_complete!);
    const confirm = await postDeviceForm(c, entry, { user_code: started.user_code });
    await postDeviceForm(c, confirm, { user_code: started.user_code, abort: 'yes' });
    expect(await poll(config, started.device_code)).toBe('access_denied');
  });
});

describe('the device page', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile });

  it('sends a person who is not signed in to the sign-in page first, keeping the code', async () => {
    const res = await t.app.client().get('/oidc/device?user_code=BCDF-GHJK', { origin: null });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(to.pathname).toBe('/signin');
    expect(to.searchParams.get('rd')).toBe(`${t.app.config.oidc.issuer}/device?user_code=BCDF-GHJK`);
  });

  it('is in Keyward\'s frame and the person\'s language, with the code of verification_uri_complete filled in', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'greta');
    c.headers['Accept-Language'] = 'de-DE,de;q=0.9';
    const page = await openDevicePage(c, `${t.app.config.oidc.issuer}/device?user_code=BCDF-GHJK`);
    expect(page.body).toContain('<html lang="de"');
    expect(page.body).toContain('<title>Gerät anmelden');
    expect(page.body).toContain('<strong>greta</strong>');
    expect(page.body).toContain('value="BCDF-GHJK"');
    expect(page.body).toContain('class="language"');
    expect(page.body).not.toContain('<script');
    const english = await openDevicePage(c, `${t.app.config.oidc.issuer}/device?lang=en`);
    expect(english.body).toContain('<title>Sign in on a device');
  });
});
