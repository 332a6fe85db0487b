// `keyward oidc clients add|list|remove`: argument parsing and output for the CLI; the work is
// clientRegistry.ts's.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Random } from '../clock.js';
import type { Storage } from '../storage/port.js';
import { ADD_CLIENT_USAGE as ADD_USAGE } from './clientUsage.js';
import { createClientRegistry } from './clientRegistry.js';
import { DEVICE_CODE_GRANT, loadClientsFile } from './loadClients.js';

interface Io {
  config: Config;
  storage: Storage;
  random: Random;
  print(line: string): void;
}


// Short names for the grants a client may be registered for (loadClients.ts holds the list).
const GRANT_NAMES: Record<string, string> = { code: 'authorization_code', device: DEVICE_CODE_GRANT, client_credentials: 'client_credentials' };

/** The grants asked for by name; a refresh token goes with the grants that sign a person in. */
function grantTypes(names: string[] | undefined, refresh: boolean): string[] {
  const grants = (names ?? ['code']).map((n) => GRANT_NAMES[n] ?? n);
  const signsInPerson = grants.some((g) => g === 'authorization_code' || g === DEVICE_CODE_GRANT);
  return refresh && signsInPerson ? [...grants, 'refresh_token'] : grants;
}

function registry(io: Io) {
  const fileClientIds = loadClientsFile(io.config.oidc.clientsFile, { mfaRequired: io.config.mfaRequired }).map((c) => c.client_id);
  return createClientRegistry({ store: io.storage.oidc, random: io.random, mfaRequired: io.config.mfaRequired, fileClientIds });
}

export async function addClient(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'redirect-uri': { type: 'string', multiple: true },
        'post-logout-uri': { type: 'string', multiple: true },
        name: { type: 'string' },
        public: { type: 'boolean' },
        post: { type: 'boolean' },
        'first-party': { type: 'boolean' },
        'require-aal': { type: 'string' },
        'id-token-alg': { type: 'string' },
        'no-refresh': { type: 'boolean' },
        'backchannel-logout-uri': { type: 'string' },
        'frontchannel-logout-uri': { type: 'string' },
        grant: { type: 'string', multiple: true },
        scope: { type: 'string' },
        introspects: { type: 'string', multiple: true },
      },
    });
  } catch (err) {
    io.print(`${(err as Error).message}\nUsage: ${ADD_USAGE}`);
    return 64;
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) {
    io.print(`Usage: ${ADD_USAGE}`);
    return 64;
  }
  const result = await registry(io).add({
    client_id: positionals[0],
    redirect_uris: v['redirect-uri'] ?? [],
    post_logout_redirect_uris: v['post-logout-uri'] ?? [],
    token_endpoint_auth_method: v.public ? 'none' : v.post ? 'client_secret_post' : 'client_secret_basic',
    // A resource server added only to introspect has no grant of its own.
    grant_types: v.introspects !== undefined && v.grant === undefined ? [] : grantTypes(v.grant, v['no-refresh'] !== true),
    ...(v.scope !== undefined && { scope: v.scope }),
    ...(v.introspects !== undefined && { introspects: v.introspects }),
    ...(v.name !== undefined && { client_name: v.name }),
    firstParty: v['first-party'] === true,
    ...(v['require-aal'] !== undefined && { requireAal: Number(v['require-aal']) }),
    ...(v['id-token-alg'] !== undefined && { id_token_signed_response_alg: v['id-token-alg'] }),
    ...(v['backchannel-logout-uri'] !== undefined && { backchannel_logout_uri: v['backchannel-logout-uri'], backchannel_logout_session_required: true }),
    ...(v['frontchannel-logout-uri'] !== undefined && { frontchannel_logout_uri: v['frontchannel-logout-uri'], frontchannel_logout_session_required: true }),
  });
  if (!result.ok) {
    io.print(`Not added: ${result.problem}`);
    return 1;
  }
  io.print(`Client "${positionals[0]}" added.`);
  if (result.secret) io.print(`client_secret: ${result.secret}\nThis is the only time the secret is shown: Keyward keeps only its hash.`);
  else io.print(`Public client: it has no secret${(v.grant ?? ['code']).includes('code') ? ' and must use PKCE (S256)' : ''}.`);
  return 0;
}

export async function listClients(_args: string[], io: Io): Promise<number> {
  const clients = await registry(io).list();
  if (!clients.length) io.print('No clients registered with the CLI (clients from OIDC_CLIENTS_FILE are not listed).');
  for (const c of clients) {
    io.print(`${c.clientId}\t${c.public ? 'public' : 'confidential'}\t${c.firstParty ? 'first-party' : 'asks consent'}\taal${c.requireAal}\t${c.name ?? ''}\t${c.redirectUris.join(' ')}`);
  }
  return 0;
}

export async function removeClient(args: string[], io: Io): Promise<number> {
  if (args.length !== 1) {
    io.print('Usage: keyward oidc clients remove <client_id>');
    return 64;
  }
  if (!(await registry(io).remove(args[0]!))) {
    io.print(`No client "${args[0]}" registered with the CLI.`);
    return 1;
  }
  io.print(`Client "${args[0]}" removed: it can no longer sign anyone in or use its tokens.`);
  return 0;
}
