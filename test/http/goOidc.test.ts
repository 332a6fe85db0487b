// A Go service and a Go command line as they are usually written: coreos/go-oidc v3 with
// discovery and oidc.NewVerifier's defaults (RS256 only), golang.org/x/oauth2 for the code
// exchange with PKCE and for the device authorization grant (polling, slow_down). Built by
// scripts/build-go-oidc-rp.sh from tools/go-oidc-rp into ~/.cache/keyward.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { follow, RP, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { approveDevice, DEVICE_GRANT } from '../helpers/deviceFlow.js';
import { startLineProgram, type LineProgram } from '../helpers/lineProgram.js';

const GO_RP = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'keyward', 'go-oidc-rp', 'go-oidc-rp');
const clientsFile = writeClientsFile([
  { client_id: 'go-service', client_secret: SECRET, redirect_uris: [RP], client_name: 'Go service', firstParty: true },
  { client_id: 'go-cli', grant_types: [DEVICE_GRANT], client_name: 'Go CLI', firstParty: true },
]);

interface Verified {
  claims: Record<string, unknown>;
  userinfo: { sub: string; email: string };
}

describe('go-oidc relying parties', () => {
  const t = useApp(embeddedFactory, { OIDC_CLIENTS_FILE: clientsFile });
  let program: LineProgram | undefined;
  afterEach(() => program?.kill());

  it('is built (scripts/build-go-oidc-rp.sh)', () => {
    expect(existsSync(GO_RP), `run bash scripts/build-go-oidc-rp.sh (${GO_RP})`).toBe(true);
  });

  it('signs a go-oidc service in with the code flow, its ID token verified by oidc.NewVerifier with the defaults (RS256)', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'gopher');
    program = startLineProgram(GO_RP, ['-mode', 'code', '-issuer', t.app.config.oidc.issuer, '-client', 'go-service', '-secret', SECRET, '-redirect', RP]);
    const { authorize } = await program.next();
    const end = await follow(c, String(authorize));
    expect(end.location?.href.startsWith(RP), `ended at ${end.location?.href ?? end.status}`).toBe(true);
    program.send(end.location!.href);
    const answer = await program.next();
    expect(answer['error']).toBeUndefined();
    const { claims, userinfo } = answer as unknown as Verified;
    expect(claims).toMatchObject({ preferred_username: 'gopher', acr: 'aal2', aud: 'go-service' });
    expect(userinfo.sub).toBe(claims['sub']);
    expect(await program.done).toBe(0);
  });

  it('signs a Go command line in with the device flow: the person enters its code and taps their key, x/oauth2 polls for the tokens', async () => {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'gocli');
    program = startLineProgram(GO_RP, ['-mode', 'device', '-issuer', t.app.config.oidc.issuer, '-client', 'go-cli', '-scopes', 'openid profile']);
    const shown = await program.next();
    expect(shown['error']).toBeUndefined();
    expect(shown['interval']).toBe(5);
    // The key tap comes after the sign-in (a proof at the same instant would prove nothing new).
    t.app.clock.advance(1000);
    expect(await approveDevice(c, key, String(shown['verification_uri_complete']), String(shown['user_code']))).toContain('Go CLI is signed in');
    program.send('');
    const answer = await program.next();
    expect(answer['error']).toBeUndefined();
    expect((answer as unknown as Verified).claims).toMatchObject({ preferred_username: 'gocli', acr: 'aal2', aud: 'go-cli' });
    expect(await program.done).toBe(0);
  });
});
