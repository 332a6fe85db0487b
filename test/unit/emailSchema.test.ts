// The e-mail addresses the API accepts are the ones its description (format: email) allows:
// tools that read the description enforce RFC 5321's lengths, so the server must too.
import { describe, expect, it } from 'vitest';
import { email } from '../../server/http/schemas.js';

describe('e-mail addresses', () => {
  it('accepts 64 characters before the @ and 63 in a part of the domain', () => {
    expect(email.safeParse(`${'a'.repeat(64)}@${'b'.repeat(63)}.example`).success).toBe(true);
  });

  it('refuses 65 characters before the @', () => {
    expect(email.safeParse(`${'a'.repeat(65)}@example.org`).success).toBe(false);
  });

  it('refuses a part of the domain longer than 63 characters', () => {
    expect(email.safeParse(`a@${'b'.repeat(64)}.example`).success).toBe(false);
  });
});
