import { describe, expect, it } from 'vitest';
import { recoveryCodeFormat } from '../../server/recovery/recoveryCodeFormat.js';
import { createRecoveryCodeHasher } from '../../server/recovery/createRecoveryCodeHasher.js';
import { cryptoRandom, type Random } from '../../server/clock.js';

describe('recovery code format', () => {
  it('makes 10 Crockford base32 characters (50 bits), shown as xxxxx-xxxxx in lower case', () => {
    for (let i = 0; i < 200; i++) {
      const code = recoveryCodeFormat.generate(cryptoRandom);
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
      expect(recoveryCodeFormat.display(code)).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    }
  });

  it('maps each random byte to one symbol by its low 5 bits, so every symbol is equally likely', () => {
    let next = 0;
    const counting: Random = { bytes: (n) => Buffer.from(Array.from({ length: n }, () => next++ % 256)) };
    const first32 = Array.from({ length: 4 }, () => recoveryCodeFormat.generate(counting)).join('').slice(0, 32);
    expect(first32).toBe('0123456789abcdefghjkmnpqrstvwxyz');
    expect(recoveryCodeFormat.generate({ bytes: (n) => Buffer.alloc(n, 255) })).toBe('zzzzzzzzzz');
    expect(recoveryCodeFormat.generate({ bytes: (n) => Buffer.alloc(n, 32 + 18) })).toBe('jjjjjjjjjj');
  });

  it('reads what people type: any case, hyphens and spaces ignored, I/L as 1 and O as 0', () => {
    expect(recoveryCodeFormat.normalize('ab1d0-ef9hj')).toBe('ab1d0ef9hj');
    expect(recoveryCodeFormat.normalize('AB1D0-EF9HJ')).toBe('ab1d0ef9hj');
    expect(recoveryCodeFormat.normalize(' ab1d0 ef9hj ')).toBe('ab1d0ef9hj');
    expect(recoveryCodeFormat.normalize('aBId0ef9hj')).toBe('ab1d0ef9hj');
    expect(recoveryCodeFormat.normalize('abLdOef9hj')).toBe('ab1d0ef9hj');
    expect(recoveryCodeFormat.normalize('a-b-1-d-0-e-f-9-h-j')).toBe('ab1d0ef9hj');
  });

  it('refuses anything that cannot be a code', () => {
    for (const s of ['', 'abcde-fghj', 'abcde-fghjkm', 'abcde-fghju', 'abcde_fghjk', 'abcde-fghj!', 'ábcde-fghjk']) {
      expect(recoveryCodeFormat.normalize(s), s).toBeNull();
    }
  });
});

describe('recovery code hashing', () => {
  it('is deterministic per salt and differs between salts', async () => {
    const hasher = createRecoveryCodeHasher({ N: 1024, r: 8, p: 1 });
    const a = await hasher.hash('ab1d0ef9hj', 'c2FsdDE');
    expect(await hasher.hash('ab1d0ef9hj', 'c2FsdDE')).toBe(a);
    expect(await hasher.hash('ab1d0ef9hj', 'c2FsdDI')).not.toBe(a);
    expect(await hasher.hash('ab1d0ef9hk', 'c2FsdDE')).not.toBe(a);
    expect(a).not.toContain('ab1d0ef9hj');
  });
});
