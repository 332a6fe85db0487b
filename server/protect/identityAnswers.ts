// How a signed-in user is described to the apps behind Keyward: proxy headers and whoami.
import type { KeywardUser } from './createSessionIdentity.js';

// HTTP header values are bytes; Node only writes Latin-1 strings. Writing the UTF-8 bytes
// one per character puts UTF-8 on the wire, as proxies pass it on (and as other forward-auth
// servers send non-ASCII names). Control characters cannot occur: names refuse them.
const utf8Header = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

/** Remote-User, Remote-Name, Remote-Groups, Remote-AAL and Remote-AMR, for a proxy to copy onto the request. */
export function identityHeaders(user: KeywardUser): Record<string, string> {
  return {
    'Remote-User': utf8Header(user.username),
    'Remote-Name': utf8Header(user.displayName),
    // Comma-separated, as Authelia sends it; group names cannot contain commas.
    'Remote-Groups': user.groups.join(','),
    'Remote-AAL': String(user.aal),
    'Remote-AMR': user.amr.join(','),
  };
}

export function whoamiBody(user: KeywardUser, sessionExpiresAt: number | undefined) {
  return {
    user: { id: user.id, username: user.username, displayName: user.displayName },
    groups: user.groups,
    aal: user.aal,
    amr: user.amr,
    authenticatedAt: new Date(user.authenticatedAt).toISOString(),
    ...(sessionExpiresAt !== undefined && { expiresAt: new Date(sessionExpiresAt).toISOString() }),
  };
}
