// Invitation and enrolment links carry a random token; only its SHA-256 is stored, so the
// database alone cannot produce a working link.
import { createHash } from 'node:crypto';
import type { Random } from '../clock.js';

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** 256 bits, URL-safe. */
export function newLinkToken(random: Random): { token: string; hash: string } {
  const token = random.bytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** Group names as rules and headers carry them: no commas (Remote-Groups is a list), no spaces. */
export const GROUP_PATTERN = /^[A-Za-z0-9._:@-]{1,64}$/;
