// offline_access: a first-party client asking for it gets it without a consent page (and
// without having to send prompt=consent), and its refresh works the way relying parties
// refresh by default (Authlib sends the scope it asked for); a third-party client sees it on
// the consent page.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, follow, redeem, relyingParty, RP, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile();

describe('offline_access', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile });

  it('grants offline_access to a first-party client that asks, without prompt=consent or a consent page, and its refresh works', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'otto');
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config, { scope: 'openid offline_access' }));
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    // As Authlib refreshes by default: the scope it was granted, sent again.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid offline_access' });
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.scope?.split(' ')).toEqual(expect.arrayContaining(['offline_access']));
    expect((await oidc.refreshTokenGrant(config, refreshed.refresh_token!)).access_token).toBeDefined();
  });

  it('shows offline_access on a third-party client\'s consent page, and grants it when allowed', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'ulla');
    const config = await relyingParty(t.app, 'third', { secret: SECRET });
    const started = await startAuthorization(config, { scope: 'openid offline_access' });
    const consent = await follow(c, started.url);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Stay signed in when you are away');
    const action = /action="([^"]+)"/.exec(consent.body)![1]!;
    const allowed = await c.request('POST', action, { body: 'decision=allow', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const end = await follow(c, allowed.headers.get('location')!);
    expect(end.location?.href.startsWith(RP)).toBe(true);
    const tokens = await redeem(config, { ...started, callback: end.location! });
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['offline_access']));
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid offline_access' })).refresh_token).toBeDefined();
  });
});
