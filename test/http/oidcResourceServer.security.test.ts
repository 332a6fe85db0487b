// A resource server (an API called with access tokens) checks them at Keyward's introspection
// endpoint (RFC 7662). Introspection answers a client about its own tokens; a client
// registered with `introspects` may also see the access tokens of the clients it names,
// never their refresh tokens, never another client's tokens, and nothing once revoked.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { startTestApp, TEST_SECRETS } from '../helpers/testApp.js';
import { useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { authorize, redeem, relyingParty, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';
import { parseClients } from '../../server/oidc/loadClients.js';

const clientsFile = writeClientsFile([
  { client_id: 'reporter', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'reports:read' },
  { client_id: 'backup', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'backup:run' },
  // Signs nobody in: it only checks the tokens its callers bring.
  { client_id: 'reports-api', client_secret: SECRET, grant_types: [], introspects: ['reporter', 'app'] },
]);

describe.each(storageFactories)('a resource server introspecting tokens ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it("sees the service token of a client it names, with that client's id and scope", async () => {
    const reporter = await relyingParty(t.app, 'reporter', { secret: SECRET });
    const api = await relyingParty(t.app, 'reports-api', { secret: SECRET });
    const { access_token } = await oidc.clientCredentialsGrant(reporter, { scope: 'reports:read' });
    expect(await oidc.tokenIntrospection(api, access_token)).toMatchObject({ active: true, client_id: 'reporter', scope: 'reports:read', token_type: 'Bearer' });
  });

  it('sees nothing of a client it does not name, and a client that names nobody sees only its own', async () => {
    const backup = await relyingParty(t.app, 'backup', { secret: SECRET });
    const reporter = await relyingParty(t.app, 'reporter', { secret: SECRET });
    const api = await relyingParty(t.app, 'reports-api', { secret: SECRET });
    const backupToken = (await oidc.clientCredentialsGrant(backup, { scope: 'backup:run' })).access_token;
    const reporterToken = (await oidc.clientCredentialsGrant(reporter, { scope: 'reports:read' })).access_token;
    expect(await oidc.tokenIntrospection(api, backupToken)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(backup, reporterToken)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(backup, backupToken)).toMatchObject({ active: true });
  });

  it("sees a person's access token with its subject, but never the refresh token beside it", async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'rita');
    const app = await relyingParty(t.app, 'app', { secret: SECRET });
    const api = await relyingParty(t.app, 'reports-api', { secret: SECRET });
    const tokens = await redeem(app, await authorize(c, app, { scope: 'openid offline_access' }));
    expect(tokens.refresh_token).toBeDefined();
    const seen = await oidc.tokenIntrospection(api, tokens.access_token);
    expect(seen).toMatchObject({ active: true, client_id: 'app', sub: expect.any(String) });
    expect(await oidc.tokenIntrospection(api, tokens.refresh_token!)).toEqual({ active: false });
    // The client itself still sees its own refresh token.
    expect(await oidc.tokenIntrospection(app, tokens.refresh_token!)).toMatchObject({ active: true, client_id: 'app' });
  });

  it('sees a token as inactive once its client revoked it', async () => {
    const reporter = await relyingParty(t.app, 'reporter', { secret: SECRET });
    const api = await relyingParty(t.app, 'reports-api', { secret: SECRET });
    const { access_token } = await oidc.clientCredentialsGrant(reporter, { scope: 'reports:read' });
    await oidc.tokenRevocation(reporter, access_token);
    expect(await oidc.tokenIntrospection(api, access_token)).toEqual({ active: false });
  });

  it('refuses a resource server that does not authenticate', async () => {
    const reporter = await relyingParty(t.app, 'reporter', { secret: SECRET });
    const { access_token } = await oidc.clientCredentialsGrant(reporter, { scope: 'reports:read' });
    const wrong = await relyingParty(t.app, 'reports-api', { secret: 'not-the-secret-0123456789' });
    // A 401 with the error in its WWW-Authenticate challenge.
    await expect(oidc.tokenIntrospection(wrong, access_token)).rejects.toMatchObject({ status: 401, cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_client' }) })] });
  });
});

describe('registering a resource server', () => {
  it('refuses introspects without a client secret, and no grant without introspects', () => {
    expect(() => parseClients(JSON.stringify([{ client_id: 'api', grant_types: [], introspects: ['app'] }]), 'clients.yaml', { mfaRequired: true })).toThrow(/introspects: a client that introspects other clients' tokens needs a client_secret/);
    expect(() => parseClients(JSON.stringify([{ client_id: 'api', client_secret: SECRET, grant_types: [] }]), 'clients.yaml', { mfaRequired: true })).toThrow(/grant_types: needs at least one grant/);
  });

  it('takes --introspects on the CLI: the resource server sees the named service tokens', async () => {
    const run = promisify(execFile);
    const created = await embeddedFactory.create();
    const dataDir = dirname((created.storage as typeof created.storage & { file: string }).file);
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'oidc', 'clients', ...args], {
        cwd: new URL('../..', import.meta.url).pathname,
        env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...TEST_SECRETS },
      });
    const secretOf = (out: string) => /client_secret: (\S+)/.exec(out)![1]!;
    const serviceSecret = secretOf((await cli(['add', 'exporter', '--grant', 'client_credentials', '--scope', 'metrics:read'])).stdout);
    const apiSecret = secretOf((await cli(['add', 'metrics-api', '--introspects', 'exporter'])).stdout);
    const app = await startTestApp({ storage: created.storage });
    try {
      const service = await relyingParty(app, 'exporter', { secret: serviceSecret });
      const api = await relyingParty(app, 'metrics-api', { secret: apiSecret });
      const { access_token } = await oidc.clientCredentialsGrant(service, { scope: 'metrics:read' });
      expect(await oidc.tokenIntrospection(api, access_token)).toMatchObject({ active: true, client_id: 'exporter', scope: 'metrics:read' });
    } finally {
      await app.close();
      await created.dispose();
    }
  });
});
