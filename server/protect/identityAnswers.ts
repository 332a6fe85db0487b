// How a signed-in user is described to the apps behind Keyward: proxy headers and whoami.
import { utf8AsLatin1 } from './utf8AsLatin1.js';
import type { KeywardUser } from './createSessionIdentity.js';

// Header values carry UTF-8 bytes (utf8AsLatin1.ts). Control characters cannot occur: names refuse them.

/** Remote-User, Remote-Name, Remote-Groups, Remote-AAL and Remote-AMR, for a proxy to copy onto the request. */
export function identityHeaders(user: KeywardUser): Record<string, string> {
  return {
    'Remote-User': utf8AsLatin1(user.username),
    'Remote-Name': utf8AsLatin1(user.displayName),
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
