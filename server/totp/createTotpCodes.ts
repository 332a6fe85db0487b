// RFC 6238 codes through otplib's functional API, with Node's own HMAC (OpenSSL) instead
// of otplib's pure-JS default: the same answers, faster, and one crypto library to trust.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { generate, generateURI, verify, ScureBase32Plugin, type CryptoPlugin } from 'otplib';
import type { Random } from '../clock.js';

export interface TotpParams {
  periodSeconds: number;
  digits: 6 | 8;
  algorithm: 'sha1' | 'sha256' | 'sha512';
}

const nodeCrypto: CryptoPlugin = {
  name: 'node',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  constantTimeEqual(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  },
};
const base32 = new ScureBase32Plugin();

// A secret as long as the HMAC output (RFC 4226 asks for at least 128 bits; SHA-1: 160).
const SECRET_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

export function createTotpCodes(params: TotpParams) {
  const pattern = new RegExp(`^\\d{${params.digits}}$`);
  const common = { algorithm: params.algorithm, digits: params.digits, period: params.periodSeconds, crypto: nodeCrypto };

  return {
    params,
    /** Exactly the configured number of ASCII digits (otplib throws on anything else). */
    pattern,

    newSecret: (random: Random): Uint8Array => new Uint8Array(random.bytes(SECRET_BYTES[params.algorithm])),

    /** RFC 4648 base32 without padding: what authenticator apps and oathtool take. */
    encodeSecret: (secret: Uint8Array): string => base32.encode(secret, { padding: false }),

    uri: (o: { issuer: string; label: string; secret: Uint8Array }): string =>
      generateURI({ issuer: o.issuer, label: o.label, secret: base32.encode(o.secret, { padding: false }), algorithm: params.algorithm, digits: params.digits, period: params.periodSeconds }),

    generate: (secret: Uint8Array, nowMs: number): Promise<string> => generate({ ...common, secret, epoch: Math.floor(nowMs / 1000) }),

    /**
     * The RFC 6238 time step the code belongs to, if it is the current step's or an adjacent
     * one's (±1 step for clock drift); null otherwise. Never throws for a malformed code.
     */
    async match(secret: Uint8Array, code: string, nowMs: number): Promise<number | null> {
      if (!pattern.test(code)) return null;
      const r = await verify({ ...common, secret, token: code, epoch: Math.floor(nowMs / 1000), epochTolerance: params.periodSeconds });
      // otplib types the HOTP and TOTP results together; only TOTP's carries timeStep.
      return r.valid && 'timeStep' in r ? r.timeStep : null;
    },
  };
}

export type TotpCodes = ReturnType<typeof createTotpCodes>;
