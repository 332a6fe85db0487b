// The email scope: the address a person confirmed for security notices, with email_verified
// true, in the ID token and userinfo; nothing for an address nobody confirmed. The consent page
// of a third-party client names the e-mail address when it is asked for, by scope or by name.
import { afterAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { startSmtpSink } from '../helpers/smtpSink.js';
import { registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { authorize, follow, redeem, relyingParty, RP, SECRET, startAuthorization, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile();
const smtp = await startSmtpSink();
afterAll(() => smtp.close());

// One mail sink for every test: each address is new, so a link is never an earlier test's.
let addresses = 0;
const fresh = (name: string) => `${name}.${++addresses}@example.org`;

const emailClaims = (o: Record<string, unknown> | undefined) => ({ email: o?.['email'], email_verified: o?.['email_verified'] });
const NONE = { email: undefined, email_verified: undefined };

describe.each(storageFactories)('the email claim ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile, SMTP_URL: smtp.url, SMTP_FROM: 'Keyward <security@keyward.test>' });

  /** Asks for `address` as the notice address; returns the confirmation token mailed to it. */
  async function askFor(c: HttpClient, address: string): Promise<string> {
    expect((await c.post('/api/me/email', { email: address })).status).toBe(202);
    return smtp.linkIn(await smtp.waitFor(address)).searchParams.get('token')!;
  }
  const confirm = async (c: HttpClient, token: string) => expect((await c.post('/api/me/email/confirm', { token })).status).toBe(200);

  /** The email claims of a first-party client's ID token and userinfo answer, for `scope`. */
  async function claimsFor(c: HttpClient, scope = 'openid email') {
    const config = await relyingParty(t.app, 'app', { secret: SECRET });
    const tokens = await redeem(config, await authorize(c, config, { scope }));
    const idToken = tokens.claims()!;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    return { idToken: emailClaims(idToken), userinfo: emailClaims(info) };
  }

  it('offers the email scope and its claims in discovery', async () => {
    const meta = (await relyingParty(t.app, 'app', { secret: SECRET })).serverMetadata();
    expect(meta.scopes_supported).toContain('email');
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['email', 'email_verified']));
  });

  it('releases the confirmed notice address, verified, in the ID token and userinfo under the email scope, and nothing before it is confirmed', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'erin');
    const address = fresh('erin');
    const token = await askFor(c, address);
    expect(await claimsFor(c)).toEqual({ idToken: NONE, userinfo: NONE });

    await confirm(c, token);
    const verified = { email: address, email_verified: true };
    expect(await claimsFor(c)).toEqual({ idToken: verified, userinfo: verified });
    expect(await claimsFor(c, 'openid profile')).toEqual({ idToken: NONE, userinfo: NONE });
  });

  it('keeps the confirmed address while a new one waits for its link, gives the new one once it is opened, and none once it is removed', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'finn');
    const first = fresh('finn');
    await confirm(c, await askFor(c, first));
    const second = fresh('finn');
    const token = await askFor(c, second);
    expect(await claimsFor(c)).toEqual({ idToken: { email: first, email_verified: true }, userinfo: { email: first, email_verified: true } });

    await confirm(c, token);
    expect(await claimsFor(c)).toEqual({ idToken: { email: second, email_verified: true }, userinfo: { email: second, email_verified: true } });

    expect((await c.delete('/api/me/email')).status).toBe(204);
    expect(await claimsFor(c)).toEqual({ idToken: NONE, userinfo: NONE });
  });

  it('gives no email claim for the address an account was made with, which nobody confirmed', async () => {
    const c = t.app.client();
    const typed = fresh('gale');
    expect((await c.post('/api/accounts', { username: 'gale', password: PASSWORD, email: typed })).status).toBe(201);
    expect((await registerKey(c, new SoftAuthenticator(c.origin))).status).toBe(201);
    expect((await t.storage.users.findByUsername('gale'))?.email).toBe(typed);
    expect(await claimsFor(c)).toEqual({ idToken: NONE, userinfo: NONE });
  });

  it('names the e-mail address on a third-party client\'s consent page when it asks for it, by scope or by the claims parameter', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'hana');
    const address = fresh('hana');
    await confirm(c, await askFor(c, address));
    const config = await relyingParty(t.app, 'third', { secret: SECRET });
    const pageFor = async (params: Record<string, string>) => {
      const started = await startAuthorization(config, { prompt: 'consent', ...params });
      const page = await follow(c, started.url);
      expect(page.status).toBe(200);
      return { started, page: page.body };
    };
    const given = (html: string) => /<ul class="scopes">(.*?)<\/ul>/.exec(html)![1]!;

    expect(given((await pageFor({ scope: 'openid profile' })).page)).not.toContain('Your e-mail address');
    expect(given((await pageFor({ scope: 'openid email' })).page)).toContain('Your e-mail address');

    // Asked by name only: the page says so, and allowing it is what releases it.
    const byName = await pageFor({ scope: 'openid', claims: JSON.stringify({ userinfo: { email: null }, id_token: { email: null } }) });
    expect(given(byName.page)).toContain('Your e-mail address');
    const action = /action="([^"]+)"/.exec(byName.page)![1]!;
    const allowed = await c.request('POST', action, { body: 'decision=allow', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const end = await follow(c, allowed.headers.get('location')!);
    expect(end.location?.href.startsWith(RP)).toBe(true);
    const tokens = await redeem(config, { ...byName.started, callback: end.location! });
    expect(tokens.claims()?.['email']).toBe(address);
  });
});
