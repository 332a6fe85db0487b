// Usernames compare case-insensitively and after Unicode normalization, so "Alice" and
// "alice" (or a look-alike composed differently) cannot be two accounts.
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

export const USERNAME_PATTERN = /^[\p{L}\p{N}._@+-]{3,64}$/u;
