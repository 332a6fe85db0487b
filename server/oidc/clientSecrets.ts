// Client secrets are stored hashed (the CLI shows a new secret once; a file's secrets are
// hashed as they are loaded), and oidc-provider compares secrets itself by plain equality,
// so its Client.prototype.compareClientSecret is replaced with a check against the hash.
// SHA-256 is enough here: secrets Keyward makes carry 256 random bits (nothing to search),
// and guessing online is limited by the attempt guard at the token endpoint.
// Because the stored client_secret is a hash, every use of it as a key is switched off in
// the provider's configuration: no client_secret_jwt, no HS* signing, no symmetric encryption.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Random } from '../clock.js';

const PREFIX = 'sha256:';

export function hashClientSecret(secret: string): string {
  return PREFIX + createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function isHashedSecret(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function secretMatches(stored: string | undefined, presented: string | undefined): boolean {
  if (!stored || !presented || !isHashedSecret(stored)) return false;
  const a = Buffer.from(hashClientSecret(presented));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new secret for `keyward oidc clients add`: 256 bits, URL-safe. */
export function newClientSecret(random: Random): string {
  return random.bytes(32).toString('base64url');
}
