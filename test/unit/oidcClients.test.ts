import { describe, expect, it } from 'vitest';
import { parseClients } from '../../server/oidc/loadClients.js';
import { secretMatches } from '../../server/oidc/clientSecrets.js';
import { acrFor, acrRequest, acrToIssue, amrFor, authTimeFor, supportedAcrValues } from '../../server/oidc/authLevel.js';

const defaults = { mfaRequired: true };

describe('OIDC clients file', () => {
  it('reads YAML and JSON, hashes secrets and fills in Keyward defaults', () => {
    const yaml = `clients:\n  - client_id: grafana\n    client_secret: grafana-secret-0123456789\n    redirect_uris: [https://grafana.example.com/login/generic_oauth]\n    firstParty: true\n`;
    const [grafana] = parseClients(yaml, 'clients.yaml', defaults);
    expect(grafana).toMatchObject({ client_id: 'grafana', token_endpoint_auth_method: 'client_secret_basic', first_party: true, require_aal: 2, response_types: ['code'] });
    expect(grafana!.client_secret).not.toContain('grafana-secret');
    expect(secretMatches(grafana!.client_secret, 'grafana-secret-0123456789')).toBe(true);
    expect(secretMatches(grafana!.client_secret, 'grafana-secret-012345678')).toBe(false);
    const json = JSON.stringify([{ client_id: 'cli', redirect_uris: ['http://localhost:8000/cb'], requireAal: 1 }]);
    expect(parseClients(json, 'clients.json', defaults)[0]).toMatchObject({ token_endpoint_auth_method: 'none', require_aal: 1, first_party: false });
    expect(parseClients('', 'empty.yaml', { mfaRequired: false })).toEqual([]);
    expect(parseClients('- {client_id: vault, redirect_uris: [https://vault.example/cb], requireAal: 3}\n', 'clients.yaml', defaults)[0]).toMatchObject({ require_aal: 3 });
  });

  it('names the problem in a bad file', () => {
    const bad = (text: string) => () => parseClients(text, 'clients.yaml', defaults);
    expect(bad('- client_id: a\n  redirect_uris: []\n')).toThrow(/redirect_uris/);
    expect(bad('- client_id: a\n  redirect_uris: [https://a.example/cb]\n  token_endpoint_auth_method: client_secret_basic\n')).toThrow(/client_secret/);
    expect(bad('- client_id: a\n  client_secret: aaaaaaaaaaaaaaaaaaaa\n  redirect_uris: [https://a.example/cb]\n  token_endpoint_auth_method: none\n')).toThrow(/public client/);
    expect(bad('- {client_id: a, redirect_uris: [https://a.example/cb]}\n- {client_id: a, redirect_uris: [https://a.example/cb]}\n')).toThrow(/twice/);
    expect(bad('- client_id: a\n  redirect_uris: [https://a.example/cb#x]\n')).toThrow(/fragment/);
    expect(bad('- client_id: a\n  redirect_uris: [https://a.example/cb]\n  grant_types: [password]\n')).toThrow(/grant_types/);
    expect(bad('{ not yaml')).toThrow(/not JSON or YAML/);
    expect(bad('- client_id: a\n  redirect_uris: [https://a.example/cb]\n  requireAal: 4\n')).toThrow(/requireAal/);
    expect(bad('- client_id: a\n  redirect_uris: [https://a.example/cb]\n  id_token_signed_response_alg: HS256\n')).toThrow(/id_token_signed_response_alg/);
  });

  it('registers services for client_credentials and command lines for the device grant, with the scopes each may be given', () => {
    const yaml =
      '- {client_id: reports, client_secret: reports-secret-0123456789, grant_types: [client_credentials], scope: "reports:read reports:write"}\n' +
      '- {client_id: cli, grant_types: ["urn:ietf:params:oauth:grant-type:device_code", refresh_token]}\n' +
      '- {client_id: web, redirect_uris: [https://web.example/cb]}\n';
    const [reports, cli, web] = parseClients(yaml, 'clients.yaml', defaults);
    expect(reports).toMatchObject({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'reports:read reports:write', token_endpoint_auth_method: 'client_secret_basic' });
    expect(cli).toMatchObject({ grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'], response_types: [], token_endpoint_auth_method: 'none' });
    // No scope named: the OpenID ones only, never a service's.
    expect(web!.scope).toBe('openid offline_access profile email groups');
    const bad = (text: string) => () => parseClients(text, 'clients.yaml', defaults);
    expect(bad('- {client_id: svc, grant_types: [client_credentials]}\n')).toThrow(/client_credentials grant needs a client_secret/);
    expect(bad('- {client_id: web, grant_types: [authorization_code]}\n')).toThrow(/needs redirect_uris/);
    expect(bad('- {client_id: svc, client_secret: svc-secret-0123456789, grant_types: [client_credentials], scope: "a  b"}\n')).toThrow(/scope/);
  });

  it('takes the signing algorithm of ID tokens, userinfo and introspection per client; unset leaves the provider\'s default', () => {
    const yaml = '- client_id: go\n  redirect_uris: [https://go.example/cb]\n  id_token_signed_response_alg: ES256\n  userinfo_signed_response_alg: RS256\n  introspection_signed_response_alg: ES256\n- client_id: plain\n  redirect_uris: [https://plain.example/cb]\n';
    const [go, plain] = parseClients(yaml, 'clients.yaml', defaults);
    expect(go).toMatchObject({ id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'RS256', introspection_signed_response_alg: 'ES256' });
    expect(plain).not.toHaveProperty('id_token_signed_response_alg');
  });
});

describe('OIDC authentication level', () => {
  const view = { status: 'authenticated' as const, userId: 'u', aal: 2 as const, amr: ['pwd' as const, 'hwk' as const], authenticatedAt: 1_000_000, stepUpAt: 1_060_500 };

  it('maps a Keyward session to acr, RFC 8176 amr and the latest authentication time', () => {
    expect(acrFor(view)).toBe('aal2');
    expect(amrFor(view)).toEqual(['pwd', 'hwk', 'mfa']);
    expect(amrFor({ ...view, aal: 2, amr: ['hwk', 'user'] })).toEqual(['hwk', 'user', 'mfa']);
    expect(amrFor({ ...view, aal: 2, amr: ['pwd', 'rec'] })).toEqual(['pwd', 'otp', 'mfa']);
    expect(amrFor({ ...view, aal: 1, amr: ['pwd'] })).toEqual(['pwd']);
    expect(authTimeFor(view)).toBe(1060);
  });

  it('reads acr_values as a preference and binds only the client\'s floor or an essential acr claim', () => {
    expect(acrRequest({}, 1)).toEqual({ floor: 1, wanted: 1, essential: null });
    expect(acrRequest({ acr_values: 'aal1 aal2' }, 1)).toEqual({ floor: 1, wanted: 2, essential: null });
    expect(acrRequest({ acr_values: 'aal3' }, 2)).toEqual({ floor: 2, wanted: 3, essential: null });
    expect(acrRequest({ acr_values: 'aal1' }, 2)).toEqual({ floor: 2, wanted: 2, essential: null });
    const essential = (values: string[]) => JSON.stringify({ id_token: { acr: { essential: true, values } } });
    expect(acrRequest({ claims: essential(['aal2', 'aal3']) }, 1)).toEqual({ floor: 2, wanted: 3, essential: [2, 3] });
    expect(acrRequest({ claims: { id_token: { acr: { essential: true, value: 'aal3' } } } }, 1)).toEqual({ floor: 3, wanted: 3, essential: [3] });
    // Not essential: a preference like acr_values.
    expect(acrRequest({ claims: JSON.stringify({ id_token: { acr: { values: ['aal3'] } } }) }, 1)).toEqual({ floor: 1, wanted: 3, essential: null });
    // Essential, but nothing Keyward can give: never met.
    expect(acrRequest({ claims: essential(['urn:other']) }, 1).floor).toBe(Infinity);
    expect(acrRequest({}, 3)).toEqual({ floor: 3, wanted: 3, essential: null });
  });

  it('issues the session\'s own level, or the highest essential value it meets', () => {
    expect(acrToIssue(2, acrRequest({ acr_values: 'aal3' }, 1))).toBe('aal2');
    expect(acrToIssue(3, acrRequest({ acr_values: 'aal2' }, 1))).toBe('aal3');
    expect(acrToIssue(3, acrRequest({ claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['aal1', 'aal2'] } } }) }, 1))).toBe('aal2');
  });

  it('offers aal3 in discovery only when attestation can prove a hardware key', () => {
    expect(supportedAcrValues('mds')).toEqual(['aal1', 'aal2', 'aal3']);
    expect(supportedAcrValues('none')).toEqual(['aal1', 'aal2']);
    expect(supportedAcrValues('direct')).toEqual(['aal1', 'aal2']);
  });
});

describe('OIDC_ISSUER', () => {
  it('needs a path of its own beside Keyward\'s routes', async () => {
    const { loadConfig } = await import('../../server/config.js');
    const env = { NODE_ENV: 'test', DATA_DIR: '/nonexistent', SESSION_SECRETS: 'x'.repeat(32), TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`, ORIGINS: 'https://id.example.com' };
    expect(loadConfig(env).oidc.issuer).toBe('https://id.example.com/oidc');
    expect(loadConfig({ ...env, OIDC_ISSUER: 'https://id.example.com/sso/' }).oidc.issuer).toBe('https://id.example.com/sso');
    // RS256 unless the operator picks ES256.
    expect(loadConfig(env).oidc.defaultAlg).toBe('RS256');
    expect(loadConfig({ ...env, OIDC_DEFAULT_ALG: 'ES256' }).oidc.defaultAlg).toBe('ES256');
    expect(() => loadConfig({ ...env, OIDC_DEFAULT_ALG: 'HS256' })).toThrow(/OIDC_DEFAULT_ALG/);
    for (const bad of ['https://id.example.com', 'https://id.example.com/', 'https://id.example.com/api', 'https://id.example.com/.well-known', 'https://id.example.com/oidc?x=1']) {
      expect(() => loadConfig({ ...env, OIDC_ISSUER: bad }), bad).toThrow(/OIDC_ISSUER/);
    }
  });
});
