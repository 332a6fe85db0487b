// Single sign-on tests: a clients file, openid-client 6 as the relying party, and a browser
// stand-in that follows the authorization redirects with a Keyward HttpClient's cookies.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import * as oidc from 'openid-client';
import type { HttpClient } from './httpClient.js';
import type { TestApp } from './testApp.js';

export const RP = 'http://localhost:9/cb';
export const SECRET = 'app-secret-0123456789abcdef';

/** A confidential first-party app, a public client (PKCE) and a third-party one (consent). */
export function writeClientsFile(extra: Record<string, unknown>[] = []): string {
  const file = join(mkdtempSync(join(tmpdir(), 'keyward-oidc-')), 'clients.yaml');
  const clients = [
    { client_id: 'app', client_secret: SECRET, redirect_uris: [RP], post_logout_redirect_uris: ['http://localhost:9/bye'], client_name: 'The App', firstParty: true },
    { client_id: 'spa', redirect_uris: [RP], firstParty: true },
    { client_id: 'third', client_secret: SECRET, redirect_uris: [RP], client_name: 'Third Party' },
    ...extra,
  ];
  // YAML accepts JSON: the file is written as JSON lines inside a YAML document.
  writeFileSync(file, `clients:\n${clients.map((c) => `  - ${JSON.stringify(c)}`).join('\n')}\n`);
  return file;
}

/** openid-client's configuration for a client of `app`; requests go to `via` (another instance). */
export async function relyingParty(app: TestApp, clientId: string, opts: { secret?: string; via?: TestApp } = {}) {
  const via = opts.via ?? app;
  const issuer = app.config.oidc.issuer;
  const publicOrigin = new URL(issuer).origin;
  const route: typeof fetch = (url, init) => fetch(String(url).replace(publicOrigin, via.url).replace(/^http:\/\/127\.0\.0\.1:\d+/, via.url), init);
  return oidc.discovery(new URL(issuer), clientId, undefined, opts.secret ? oidc.ClientSecretBasic(opts.secret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: route as never,
  });
}

export interface Started {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

export async function startAuthorization(config: oidc.Configuration, params: Record<string, string> = {}): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: RP,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, state, nonce, verifier };
}

/**
 * Follows redirects like a browser with `c`'s cookies until the browser leaves Keyward (the
 * relying party's redirect URI, or Keyward's sign-in or verify page), or a page is shown.
 */
export async function follow(c: HttpClient, start: URL | string, limit = 10): Promise<{ status: number; location: URL | null; body: string }> {
  let url = new URL(start, c.origin);
  for (let i = 0; i < limit; i++) {
    const res = await c.get<string>(url.pathname + url.search, { origin: null });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { status: res.status, location: null, body: String(res.body) };
    url = new URL(location, url);
    const ours = url.origin === c.origin || url.origin === new URL(c.baseUrl).origin;
    if (!ours || url.pathname === '/signin' || url.pathname === '/verify') return { status: res.status, location: url, body: '' };
  }
  throw new Error('too many redirects');
}

/** The whole authorization for a signed-in `c`: the callback URL the relying party gets. */
export async function authorize(c: HttpClient, config: oidc.Configuration, params: Record<string, string> = {}) {
  const started = await startAuthorization(config, params);
  const end = await follow(c, started.url);
  expect(end.location?.href.startsWith(RP), `ended at ${end.location?.href ?? end.status} ${end.body.slice(0, 300)}`).toBe(true);
  return { ...started, callback: end.location! };
}

export function redeem(config: oidc.Configuration, a: Started & { callback: URL }) {
  return oidc.authorizationCodeGrant(config, a.callback, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
}
