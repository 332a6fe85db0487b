// Keyward's TOTP module against RFC 6238 Appendix B and at the edges of its ±1 step window.
import { describe, expect, it } from 'vitest';
import { createTotpCodes } from '../../server/totp/createTotpCodes.js';
import { cryptoRandom } from '../../server/clock.js';

const seed = (n: number) => new Uint8Array(Buffer.from('1234567890'.repeat(7).slice(0, n), 'ascii'));

// Time (s), SHA-1, SHA-256, SHA-512 (RFC 6238 Appendix B, 8 digits).
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];
const ALGORITHMS = [
  { algorithm: 'sha1', seed: seed(20), column: 1 },
  { algorithm: 'sha256', seed: seed(32), column: 2 },
  { algorithm: 'sha512', seed: seed(64), column: 3 },
] as const;

describe('TOTP codes', () => {
  for (const { algorithm, seed: secret, column } of ALGORITHMS) {
    describe(`RFC 6238 test vectors, ${algorithm.toUpperCase()}`, () => {
      const codes = createTotpCodes({ periodSeconds: 30, digits: 8, algorithm });
      for (const row of VECTORS) {
        const [time, expected] = [row[0], row[column]];
        it(`gives ${expected} at T=${time} and accepts it at its own time step`, async () => {
          expect(await codes.generate(secret, time * 1000)).toBe(expected);
          expect(await codes.match(secret, expected, time * 1000)).toBe(Math.floor(time / 30));
        });
      }
    });
  }

  describe('the ±1 step window (30 s, 6 digits, SHA-1)', () => {
    const codes = createTotpCodes({ periodSeconds: 30, digits: 6, algorithm: 'sha1' });
    const secret = codes.newSecret(cryptoRandom);
    const T = 1_800_000_015_000; // the middle of step 60,000,000
    const STEP = 60_000_000;

    it('accepts a code 30 s early or late (the neighbouring steps) and names its step', async () => {
      const code = await codes.generate(secret, T);
      expect(await codes.match(secret, code, T)).toBe(STEP);
      expect(await codes.match(secret, code, T + 30_000)).toBe(STEP);
      expect(await codes.match(secret, code, T - 30_000)).toBe(STEP);
    });

    it('refuses a code 60 s early or late', async () => {
      const code = await codes.generate(secret, T);
      expect(await codes.match(secret, code, T + 60_000)).toBeNull();
      expect(await codes.match(secret, code, T - 60_000)).toBeNull();
    });

    it('refuses malformed codes without throwing', async () => {
      for (const code of ['', '12345', '1234567', '12a456', '１２３４５６', '123 456', '-12345']) {
        expect(await codes.match(secret, code, T), code).toBeNull();
      }
      expect(codes.pattern.test('012345')).toBe(true);
      expect(codes.pattern.test('0123456')).toBe(false);
    });

    it('makes 160-bit secrets and shows them in unpadded base32', () => {
      expect(secret).toHaveLength(20);
      expect(codes.encodeSecret(secret)).toMatch(/^[A-Z2-7]{32}$/);
      expect(codes.encodeSecret(seed(20))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    });
  });

  it('honours a configured period and digit count', async () => {
    const codes = createTotpCodes({ periodSeconds: 60, digits: 8, algorithm: 'sha256' });
    const secret = seed(32);
    expect(await codes.generate(secret, 59_000)).toBe(await codes.generate(secret, 0));
    expect(await codes.match(secret, await codes.generate(secret, 0), 119_000)).toBe(0);
    expect(await codes.match(secret, await codes.generate(secret, 0), 120_000)).toBeNull();
    expect(new URL(codes.uri({ issuer: 'Keyward', label: 'alice', secret })).searchParams.get('period')).toBe('60');
  });
});
