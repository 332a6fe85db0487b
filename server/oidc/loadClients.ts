// Relying parties: from OIDC_CLIENTS_FILE (JSON or YAML, a list of clients in OAuth dynamic
// registration names plus Keyward's client_name, firstParty, requireAal and introspects; the signing
// algorithms of ID tokens, userinfo and introspection answers per client) and from the
// CLI (stored in the database). Both become oidc-provider client metadata with the secret
// hashed (clientSecrets.ts) and Keyward's fields under first_party / require_aal.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ClientMetadata } from 'oidc-provider';
import { hashClientSecret, isHashedSecret } from './clientSecrets.js';
import { OIDC_SCOPES } from './claims.js';

// Either key the ring holds (createSigningKeyRing.ts); unset: OIDC_DEFAULT_ALG.
const signingAlg = z.enum(['RS256', 'ES256']);

// Grants a client may be registered for: a browser app's code flow (with refresh), a service
// acting as itself (client_credentials), a command line signing a person in on another
// device (RFC 8628 device authorization grant).
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const grantType = z.enum(['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT]);
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const clientId = z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'letters, digits and . _ ~ - only');

const redirectUri = z.url({ protocol: /^https?$/ }).refine((u) => !u.includes('#'), 'must not contain a fragment');

export const ClientInput = z
  .object({
    client_id: clientId,
    client_secret: z.string().min(16, 'needs at least 16 characters').optional(),
    // Only a client using the code flow has any (it needs one at least).
    redirect_uris: z.array(redirectUri).default([]),
    post_logout_redirect_uris: z.array(redirectUri).default([]),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']).optional(),
    // Empty only for a resource server that introspects and signs nobody in itself.
    grant_types: z.array(grantType).default(['authorization_code', 'refresh_token']),
    // Space-separated: the only scopes this client may be given, by any grant (RFC 7591 §2).
    scope: z.string().refine((v) => v.split(' ').every((t) => scopeToken.test(t)), 'scopes separated by single spaces').optional(),
    client_name: z.string().min(1).max(100).optional(),
    id_token_signed_response_alg: signingAlg.optional(),
    // Set: userinfo (introspection) answers this client with a signed JWT instead of JSON.
    userinfo_signed_response_alg: signingAlg.optional(),
    introspection_signed_response_alg: signingAlg.optional(),
    // OpenID Connect Back-Channel Logout 1.0: a logout token is POSTed here when a Keyward
    // session this client got tokens in ends (backchannelLogout.ts). It always carries sid.
    backchannel_logout_uri: redirectUri.optional(),
    backchannel_logout_session_required: z.boolean().optional(),
    // Front-Channel Logout 1.0: loaded in an iframe when the person signs out through a client.
    frontchannel_logout_uri: redirectUri.optional(),
    frontchannel_logout_session_required: z.boolean().optional(),
    firstParty: z.boolean().default(false),
    // 3 needs ATTESTATION_POLICY=mds (only an attested hardware key reaches it).
    requireAal: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    // A resource server (an API called with these clients' access tokens) may introspect
    // the access tokens issued to the clients named here, never their refresh tokens.
    introspects: z.array(clientId).optional(),
  })
  .strict()
  .refine((c) => !c.grant_types.includes('authorization_code') || c.redirect_uris.length > 0, { message: 'a client with the authorization_code grant needs redirect_uris', path: ['redirect_uris'] })
  .refine((c) => !c.grant_types.includes('client_credentials') || c.client_secret !== undefined, { message: 'the client_credentials grant needs a client_secret', path: ['grant_types'] })
  .refine((c) => c.grant_types.length > 0 || c.introspects !== undefined, { message: 'needs at least one grant (none only for a client that introspects)', path: ['grant_types'] })
  .refine((c) => c.introspects === undefined || c.client_secret !== undefined, { message: 'a client that introspects other clients\' tokens needs a client_secret', path: ['introspects'] })
  .refine((c) => (c.client_secret === undefined ? (c.token_endpoint_auth_method ?? 'none') === 'none' : c.token_endpoint_auth_method !== 'none'), {
    message: 'a client with a client_secret authenticates with client_secret_basic or client_secret_post; a public client (no secret) with none',
  });
export type ClientInput = z.infer<typeof ClientInput>;


export class ClientsFileError extends Error {
  override name = 'ClientsFileError';
}

/** oidc-provider metadata for a client; `secretHash` when the secret is already hashed (CLI). */
export function toClientMetadata(c: ClientInput, defaults: { mfaRequired: boolean }, secretHash?: string): ClientMetadata {
  const secret = secretHash ?? (c.client_secret === undefined ? undefined : hashClientSecret(c.client_secret));
  if (secret !== undefined && !isHashedSecret(secret)) throw new ClientsFileError('client secret hash is malformed');
  return {
    client_id: c.client_id,
    ...(secret !== undefined && { client_secret: secret }),
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    token_endpoint_auth_method: c.token_endpoint_auth_method ?? (secret === undefined ? 'none' : 'client_secret_basic'),
    grant_types: c.grant_types,
    response_types: c.grant_types.includes('authorization_code') ? ['code'] : [],
    // Unset: the OpenID scopes only, so no client can be given a service's scope (the
    // provider then knows it: createOidcProvider.ts) without it being named for that client.
    scope: c.scope ?? OIDC_SCOPES.join(' '),
    // Unset: the provider's default (OIDC_DEFAULT_ALG), read when the provider starts.
    ...(c.id_token_signed_response_alg !== undefined && { id_token_signed_response_alg: c.id_token_signed_response_alg }),
    ...(c.userinfo_signed_response_alg !== undefined && { userinfo_signed_response_alg: c.userinfo_signed_response_alg }),
    ...(c.introspection_signed_response_alg !== undefined && { introspection_signed_response_alg: c.introspection_signed_response_alg }),
    ...(c.client_name !== undefined && { client_name: c.client_name }),
    ...(c.backchannel_logout_uri !== undefined && { backchannel_logout_uri: c.backchannel_logout_uri }),
    ...(c.backchannel_logout_session_required !== undefined && { backchannel_logout_session_required: c.backchannel_logout_session_required }),
    ...(c.frontchannel_logout_uri !== undefined && { frontchannel_logout_uri: c.frontchannel_logout_uri }),
    ...(c.frontchannel_logout_session_required !== undefined && { frontchannel_logout_session_required: c.frontchannel_logout_session_required }),
    first_party: c.firstParty,
    require_aal: c.requireAal ?? (defaults.mfaRequired ? 2 : 1),
    ...(c.introspects !== undefined && { introspects: c.introspects }),
  };
}

/** Parses a clients file's text (YAML, of which JSON is a subset). Throws naming the problem. */
export function parseClients(text: string, source: string, defaults: { mfaRequired: boolean }): ClientMetadata[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ClientsFileError(`${source}: not JSON or YAML (${(err as Error).message})`);
  }
  // A list of clients, or { clients: [...] }.
  const given = raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : (raw as { clients?: unknown }).clients;
  if (!Array.isArray(given)) throw new ClientsFileError(`${source}: expected a list of clients (or clients: followed by one)`);
  const parsed = z.array(ClientInput).safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ClientsFileError(`${source}: invalid clients:\n${lines.join('\n')}`);
  }
  const list = parsed.data;
  const ids = new Set<string>();
  for (const c of list) {
    if (ids.has(c.client_id)) throw new ClientsFileError(`${source}: client_id ${c.client_id} appears twice`);
    ids.add(c.client_id);
  }
  return list.map((c) => toClientMetadata(c, defaults));
}

export function loadClientsFile(file: string | undefined, defaults: { mfaRequired: boolean }): ClientMetadata[] {
  if (!file) return [];
  return parseClients(readFileSync(file, 'utf8'), file, defaults);
}
