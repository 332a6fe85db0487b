// Authlib (Python) as its documentation uses it, against Keyward: an authorization-code flow
// with PKCE and offline_access in its default scope, the ID token verified against the JWKS,
// and Authlib's default refresh (which names the scope again); and a service's
// client_credentials token. The script is tools/authlib-rp/rp.py, run in the virtual
// environment scripts/build-schemathesis.sh makes (Authlib pinned there).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { follow, RP, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { startLineProgram, type LineProgram } from '../helpers/lineProgram.js';
import { SCHEMATHESIS_VERSION } from '../ops/schemathesisRun.js';

const PYTHON = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'keyward', `schemathesis-${SCHEMATHESIS_VERSION}`, 'bin', 'python');
const SCRIPT = new URL('../../tools/authlib-rp/rp.py', import.meta.url).pathname;
const clientsFile = writeClientsFile([
  { client_id: 'flask-app', client_secret: SECRET, redirect_uris: [RP], client_name: 'Flask app', firstParty: true },
  { client_id: 'py-worker', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'jobs:read jobs:write' },
]);

describe('Authlib relying parties', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile });
  let program: LineProgram | undefined;
  afterEach(() => program?.kill());

  it('is installed (scripts/build-schemathesis.sh)', () => {
    expect(existsSync(PYTHON), `run bash scripts/build-schemathesis.sh (${PYTHON})`).toBe(true);
  });

  it('signs an Authlib app in with PKCE and offline_access in its default scope, and its default refresh works', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'pia');
    program = startLineProgram(PYTHON, [SCRIPT, 'code', t.app.config.oidc.issuer, 'flask-app', SECRET, RP]);
    const { authorize } = await program.next();
    expect(new URL(String(authorize)).searchParams.get('code_challenge_method')).toBe('S256');
    const end = await follow(c, String(authorize));
    expect(end.location?.href.startsWith(RP), `ended at ${end.location?.href ?? end.status}`).toBe(true);
    program.send(end.location!.href);
    const answer = await program.next();
    expect(answer['error']).toBeUndefined();
    expect(answer).toMatchObject({
      alg: 'RS256',
      claims: { preferred_username: 'pia', acr: 'aal2', aud: 'flask-app' },
      userinfo: { preferred_username: 'pia' },
      refreshed: { rotated: true },
    });
    expect(String(answer['scope']).split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'offline_access']));
    expect(String((answer['refreshed'] as { scope: string }).scope).split(' ')).toEqual(expect.arrayContaining(['offline_access']));
    expect(await program.done).toBe(0);
  });

  it('gets an Authlib service a client_credentials token with the scope it is registered for', async () => {
    program = startLineProgram(PYTHON, [SCRIPT, 'client_credentials', t.app.config.oidc.issuer, 'py-worker', SECRET, 'jobs:read']);
    const answer = await program.next();
    expect(answer).toEqual({ scope: 'jobs:read', token_type: 'Bearer', has_refresh_token: false });
    expect(await program.done).toBe(0);
  });
});
