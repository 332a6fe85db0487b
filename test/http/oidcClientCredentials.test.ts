// Services acting as themselves (OAuth 2.0 client_credentials, RFC 6749 §4.4) with
// openid-client 6: only clients registered for the grant get a token, with no person behind
// it, and only the scopes the clients file names for that client; every token is audited with
// the client's id.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { startTestApp, TEST_SECRETS } from '../helpers/testApp.js';
import { useApp } from '../helpers/appFixture.js';
import { relyingParty, SECRET, writeClientsFile } from '../helpers/oidcRelyingParty.js';

const clientsFile = writeClientsFile([
  { client_id: 'reporter', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'reports:read reports:write', client_name: 'Nightly reports' },
  { client_id: 'backup', client_secret: SECRET, grant_types: ['client_credentials'], scope: 'backup:run' },
]);

/** The OAuth error of a refused grant request. */
async function refusal(request: Promise<unknown>): Promise<string> {
  const err = await request.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the request was granted').not.toBeNull();
  // A 401 comes as a WWW-Authenticate challenge that carries the error.
  const challenge = (err as { cause?: { parameters?: { error?: string } }[] }).cause;
  return String((err as { error?: string }).error ?? (Array.isArray(challenge) ? challenge[0]?.parameters?.error : undefined) ?? (err as Error).message);
}

describe.each(storageFactories)('client_credentials ($name)', (factory) => {
  const t = useApp(factory, { OIDC_CLIENTS_FILE: clientsFile });

  it('gives a registered service a token of its own, with the scopes it asks among those it is registered for, and audits it with its client id', async () => {
    const config = await relyingParty(t.app, 'reporter', { secret: SECRET });
    expect(config.serverMetadata().grant_types_supported).toContain('client_credentials');
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'reports:read' });
    expect(tokens.scope).toBe('reports:read');
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const seen = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(seen).toMatchObject({ active: true, client_id: 'reporter', scope: 'reports:read' });
    expect(seen.sub).toBeUndefined();
    // No person: userinfo has nobody to describe.
    expect((await fetch(`${t.app.url}/oidc/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);

    // The audit trail is written beside the answer, not before it.
    await expect.poll(async () => (await t.storage.audit.query({ type: 'oidc.client_credentials', limit: 10 })).length).toBe(1);
    const events = await t.storage.audit.query({ type: 'oidc.client_credentials', limit: 10 });
    expect(events[0]).toMatchObject({ outcome: 'success', userId: null, details: { clientId: 'reporter', scope: 'reports:read' } });
  });

  it('refuses a scope the service is not registered for, even one another client has', async () => {
    const config = await relyingParty(t.app, 'reporter', { secret: SECRET });
    expect(await refusal(oidc.clientCredentialsGrant(config, { scope: 'backup:run' }))).toBe('invalid_scope');
    expect(await refusal(oidc.clientCredentialsGrant(config, { scope: 'reports:read profile' }))).toBe('invalid_scope');
    await expect.poll(async () => (await t.storage.audit.query({ type: 'oidc.client_credentials', limit: 10 })).length).toBe(2);
    const failures = await t.storage.audit.query({ type: 'oidc.client_credentials', limit: 10 });
    expect(failures.map((e) => [e.outcome, e.details['clientId']])).toEqual([
      ['failure', 'reporter'],
      ['failure', 'reporter'],
    ]);
  });

  it('gives no scope a client does not name, and none that Keyward does not know', async () => {
    const config = await relyingParty(t.app, 'backup', { secret: SECRET });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'backup:run made:up' });
    expect(tokens.scope).toBe('backup:run');
  });

  it('refuses client_credentials to a client not registered for it, and to a wrong secret', async () => {
    const app = await relyingParty(t.app, 'app', { secret: SECRET });
    // oidc-provider's answer: invalid_request, "requested grant type is not allowed for this client".
    expect(await refusal(oidc.clientCredentialsGrant(app, {}))).toBe('invalid_request');
    await expect.poll(() => t.storage.audit.query({ type: 'oidc.client_credentials', limit: 10 })).toEqual([expect.objectContaining({ outcome: 'failure', details: expect.objectContaining({ clientId: 'app' }) })]);
    const wrong = await relyingParty(t.app, 'reporter', { secret: 'not-the-secret-0123456789' });
    expect(await refusal(oidc.clientCredentialsGrant(wrong, { scope: 'reports:read' }))).toBe('invalid_client');
  });
});

describe('a service registered with the CLI', () => {
  const run = promisify(execFile);
  const cli = (dataDir: string, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'oidc', 'clients', ...args], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...TEST_SECRETS },
    });

  it('takes --grant client_credentials and --scope: the service gets its scopes and no other, and no refresh token', async () => {
    const created = await embeddedFactory.create();
    const dataDir = dirname((created.storage as typeof created.storage & { file: string }).file);
    const added = await cli(dataDir, ['add', 'metrics-export', '--grant', 'client_credentials', '--scope', 'metrics:read']);
    const secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
    // A person's grant needs a redirect address; a service's does not, and a public service is refused.
    await expect(cli(dataDir, ['add', 'open-service', '--public', '--grant', 'client_credentials'])).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/client_credentials grant needs a client_secret/) });
    await expect(cli(dataDir, ['add', 'typo', '--grant', 'password'])).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/grant_types/) });
    const app = await startTestApp({ storage: created.storage });
    try {
      const config = await relyingParty(app, 'metrics-export', { secret });
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'metrics:read' });
      expect(tokens.scope).toBe('metrics:read');
      expect(tokens.refresh_token).toBeUndefined();
      expect(await refusal(oidc.clientCredentialsGrant(config, { scope: 'metrics:read openid' }))).toBe('invalid_scope');
      // Registered for nothing else: no authorization code flow for it.
      expect(config.serverMetadata().grant_types_supported).toContain('client_credentials');
    } finally {
      await app.close();
      await created.dispose();
    }
  });
});
