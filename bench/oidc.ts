// Single sign-on paths: the token endpoint redeeming an authorization code (client secret
// check, one-time consume, an ES256-signed ID token) and userinfo with the access token.
// Codes are made beforehand, with the seeded users' signed-in sessions, by the whole browser
// round trip (authorize -> interaction -> resume -> callback); only redemption is timed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeededUser } from './seed.js';
import { Http, updateCookie, type Sample } from './loadgen.js';

type Iteration = (vu: number, record: (s: Sample) => void) => Promise<boolean>;

const CLIENT_ID = 'bench';
const CLIENT_SECRET = 'bench-client-secret-0123456789';
const CALLBACK = 'http://localhost:9/cb';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

/** OIDC_CLIENTS_FILE with one confidential first-party client (no consent page in the way). */
export function writeBenchClients(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'keyward-bench-oidc-')), 'clients.yaml');
  writeFileSync(file, `- client_id: ${CLIENT_ID}\n  client_secret: ${CLIENT_SECRET}\n  redirect_uris: [${CALLBACK}]\n  firstParty: true\n`);
  return file;
}

/** One authorization as a browser does it, for `user`: the code the client is sent. */
async function authorizationCode(http: Http, user: SeededUser, n: number): Promise<string> {
  const query = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', scope: 'openid profile', redirect_uri: CALLBACK, state: `s${n}` });
  let path = `/oidc/auth?${query}`;
  let cookie = user.cookie;
  for (let hop = 0; hop < 6; hop++) {
    const r = await http.get(path, cookie, { Accept: 'text/html' });
    cookie = updateCookie(cookie, r.setCookie);
    const { location } = r;
    if (!location) throw new Error(`authorization stopped at ${path} with ${r.status}: ${r.body.slice(0, 200)}`);
    const next = new URL(location, http.base);
    if (next.href.startsWith(CALLBACK)) return next.searchParams.get('code') ?? Promise.reject(new Error(`no code: ${next.href}`));
    path = next.pathname + next.search;
  }
  throw new Error('too many redirects');
}

/** `count` fresh codes, made `parallel` at a time (they live 60 s: make them just before use). */
export async function codePool(http: Http, users: SeededUser[], count: number, parallel = 16): Promise<string[]> {
  const codes: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const n = next++;
        codes.push(await authorizationCode(http, users[n % users.length]!, n));
      }
    }),
  );
  return codes;
}

/** POST /oidc/token: one code each, client_secret_basic; keeps the access tokens for userinfo. */
export function tokenIteration(http: Http, codes: string[], accessTokens: string[]): Iteration {
  return async (_vu, record) => {
    const code = codes.pop();
    if (!code) return false;
    const r = await http.postForm('/oidc/token', new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }).toString(), { Authorization: BASIC });
    record({ label: 'verify', ms: r.ms, status: r.status });
    if (r.status === 200 && accessTokens.length < 5000) accessTokens.push((JSON.parse(r.body) as { access_token: string }).access_token);
    return true;
  };
}

/** GET /oidc/me with a bearer access token. */
export function userinfoIteration(http: Http, accessTokens: string[]): Iteration {
  let next = 0;
  return async (_vu, record) => {
    const r = await http.get('/oidc/me', undefined, { Authorization: `Bearer ${accessTokens[next++ % accessTokens.length]!}` });
    record({ label: 'verify', ms: r.ms, status: r.status });
    return true;
  };
}
