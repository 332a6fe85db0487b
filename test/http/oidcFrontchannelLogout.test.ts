// Front-Channel Logout 1.0 on RP-initiated logout: once the person confirms, the page loads
// the frontchannel_logout_uri of every client they signed in to in this browser's session
// (iss and sid added when the client asks, sid the one in its ID tokens) in frames the
// Content Security Policy allows, then goes on to the client's post_logout_redirect_uri.
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, follow, redeem, relyingParty, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const FRONT = 'http://localhost:9/front-logout';
const clientsFile = writeClientsFile([
  {
    client_id: 'fc',
    client_secret: SECRET,
    redirect_uris: ['http://localhost:9/cb'],
    post_logout_redirect_uris: ['http://localhost:9/bye'],
    firstParty: true,
    frontchannel_logout_uri: FRONT,
    frontchannel_logout_session_required: true,
  },
  { client_id: 'fc2', client_secret: SECRET, redirect_uris: ['http://localhost:9/cb'], firstParty: true, frontchannel_logout_uri: 'http://127.0.0.2:9/out' },
]);

/** Opens the client's logout page and confirms it: the answer to the confirmation. */
async function signOutThrough(c: HttpClient, config: oidc.Configuration, idToken: string, appUrl: string) {
  const page = await follow(c, oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: 'http://localhost:9/bye', state: 'st8' }));
  const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(page.body)!;
  return c.request<string>('POST', new URL(form[1]!, appUrl).pathname, { body: `xsrf=${form[2]}&logout=yes`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

describe.each(storageFactories)('front-channel logout ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it('shows frames for the clients of the session, with iss and sid where asked, then goes on to the client (straight on without such clients)', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    const fc = await relyingParty(t.app, 'fc', { secret: SECRET });
    const tokens = await redeem(fc, await authorize(c, fc));
    const fc2 = await relyingParty(t.app, 'fc2', { secret: SECRET });
    await redeem(fc2, await authorize(c, fc2));
    const plain = await relyingParty(t.app, 'app', { secret: SECRET });
    await redeem(plain, await authorize(c, plain));

    const res = await signOutThrough(c, fc, tokens.id_token!, t.app.url);
    expect(res.status).toBe(200);
    const html = String(res.body);
    const frames = [...html.matchAll(/<iframe src="([^"]+)"/g)].map((m) => new URL(m[1]!.replaceAll('&#38;', '&')));
    expect(frames.map((f) => f.origin + f.pathname).sort()).toEqual(['http://127.0.0.2:9/out', FRONT]);
    const withSid = frames.find((f) => f.href.startsWith(FRONT))!;
    expect(Object.fromEntries(withSid.searchParams)).toEqual({ iss: t.app.config.oidc.issuer, sid: tokens.claims()!.sid });
    expect(frames.find((f) => f.origin === 'http://127.0.0.2:9')!.search).toBe('');
    expect(html.replaceAll('&#38;', '&')).toContain('content="2;url=http://localhost:9/bye?state=st8"');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/frame-src http:\/\/localhost:9 http:\/\/127\.0\.0\.2:9$/);
    expect(csp).toContain("frame-ancestors 'none'");
    // Signed out of Keyward all the same, before the page was sent.
    expect((await c.get<{ status: string }>('/api/session')).body.status).toBe('anonymous');

    // A session without such clients goes straight on.
    const other = t.app.client();
    await signUpWithKey(other, 'bob');
    const plainTokens = await redeem(plain, await authorize(other, plain));
    const page = await follow(other, oidc.buildEndSessionUrl(plain, { id_token_hint: plainTokens.id_token! }));
    const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="xsrf" value="([^"]+)"/.exec(page.body)!;
    const straight = await other.request('POST', new URL(form[1]!, t.app.url).pathname, { body: `xsrf=${form[2]}&logout=yes`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(straight.status).toBe(303);
    expect((await other.get<{ status: string }>('/api/session')).body.status).toBe('anonymous');
  });

  it('says in discovery that front-channel and back-channel logout are supported, with sid', async () => {
    const doc = (await t.app.client().get<Record<string, unknown>>('/oidc/.well-known/openid-configuration')).body;
    expect(doc).toMatchObject({ frontchannel_logout_supported: true, frontchannel_logout_session_supported: true, backchannel_logout_supported: true, backchannel_logout_session_supported: true });
    expect(doc['claims_supported']).toContain('sid');
  });
});
