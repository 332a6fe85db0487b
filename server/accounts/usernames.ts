import { invisibleCodePoints } from './invisibleCharacters.js';
import { isHighlyRestrictive } from './scriptRestriction.js';

// Usernames compare case-insensitively and after Unicode normalization, so "Alice" and
// "alice" (or a look-alike composed differently) cannot be two accounts.
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

export const USERNAME_PATTERN = /^[\p{L}\p{N}._@+-]{3,64}$/u;

/**
 * Which rule a new username (already NFKC-normalised and trimmed) breaks, in words; null when
 * it keeps them all. One list for every way an account is made: sign-up, invitations, the
 * admin API and `keyward users add`. The invisible-character rule comes first, so a name
 * that looks valid is told what is wrong with it rather than "use letters or digits".
 */
export function usernameProblem(username: string): string | null {
  const invisible = invisibleCodePoints(username);
  if (invisible.length) return `must not contain invisible characters (found ${invisible.join(', ')}): a name must look like what it is`;
  if (!USERNAME_PATTERN.test(username)) return 'use 3 to 64 letters, digits or . _ @ + -';
  if (!isHighlyRestrictive(username)) return 'must not mix writing systems (for example Latin and Cyrillic letters): use letters of one script';
  return null;
}
