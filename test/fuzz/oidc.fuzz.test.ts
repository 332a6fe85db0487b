// The single sign-on endpoints are oidc-provider's (not in Keyward's route enumeration or its
// error format): malformed authorization, token, introspection, revocation, userinfo,
// sign-out and interaction requests must each get an answer below 500, and the server keeps
// answering. Fixed seed in CI (FUZZ_SEED), like the other fuzz suites.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { RP, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { FUZZ_SEED } from './fuzzSuite.js';

const RUNS = Number(process.env['FUZZ_RUNS_OIDC'] ?? 600);

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', 'app', 'spa', 'third', RP, 'openid', 'openid profile offline_access', 'code', 'token', 'id_token', 'S256', 'plain', 'login', 'none', 'consent', 'aal2', '-1', '0', '1e309', 'authorization_code', 'refresh_token', 'password', 'client_credentials', SECRET, '%00', 'a'.repeat(5000)),
);
const params = fc.dictionary(
  fc.constantFrom('client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'max_age', 'prompt', 'acr_values', 'grant_type', 'code', 'code_verifier', 'refresh_token', 'token', 'token_type_hint', 'client_secret', 'id_token_hint', 'post_logout_redirect_uri', 'xsrf', 'logout', 'decision', 'request', 'request_uri', 'claims', 'resource'),
  junk,
  { maxKeys: 8 },
);
const auth = fc.option(
  fc.oneof(
    fc.constant(`Basic ${Buffer.from(`app:${SECRET}`).toString('base64')}`),
    fc.string({ maxLength: 60 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
    fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 60 }),
  ),
  { nil: undefined },
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
  path: fc.oneof(
    fc.constantFrom('/oidc/auth', '/oidc/token', '/oidc/token/introspection', '/oidc/token/revocation', '/oidc/me', '/oidc/session/end', '/oidc/session/end/confirm', '/oidc/jwks', '/oidc/.well-known/openid-configuration', '/oidc'),
    fc.string({ maxLength: 30 }).map((s) => `/oidc/interaction/${encodeURIComponent(s)}`),
    fc.string({ maxLength: 30 }).map((s) => `/oidc/interaction/${encodeURIComponent(s)}/consent`),
    fc.string({ maxLength: 30 }).map((s) => `/oidc/auth/${encodeURIComponent(s)}`),
  ),
  query: params,
  body: fc.oneof(params.map((p) => new URLSearchParams(p).toString()), fc.string({ maxLength: 200 }), fc.constant(undefined)),
  contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', undefined),
  authorization: auth,
});

describe('single sign-on endpoints under malformed requests', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: writeClientsFile() });

  it(`answers ${RUNS} malformed requests below 500, signed in or not`, async () => {
    const signedIn = t.app.client();
    await signUpWithKey(signedIn, 'alice');
    const cookie = [...signedIn.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await fc.assert(
      fc.asyncProperty(request, fc.boolean(), async (r, withSession) => {
        const qs = new URLSearchParams(r.query).toString();
        const headers: Record<string, string> = {};
        if (r.contentType) headers['Content-Type'] = r.contentType;
        if (r.authorization) headers['Authorization'] = r.authorization;
        if (withSession) headers['Cookie'] = cookie;
        const hasBody = r.method !== 'GET' && r.method !== 'OPTIONS' && r.body !== undefined;
        const res = await fetch(`${t.app.url}${r.path}${qs ? `?${qs}` : ''}`, { method: r.method, headers, body: hasBody ? r.body : undefined, redirect: 'manual' });
        await res.arrayBuffer();
        if (res.status >= 500) throw new Error(`${r.method} ${r.path}?${qs.slice(0, 200)} answered ${res.status}`);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect((await t.app.client().get('/oidc/.well-known/openid-configuration')).status).toBe(200);
  });
});
