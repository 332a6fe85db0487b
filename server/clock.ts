// Time and randomness are injected so tests move a clock instead of sleeping.
import { randomBytes } from 'node:crypto';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Random {
  bytes(n: number): Buffer;
}

// Every request draws several small random values (session id, request id, challenge, audit
// id); one call into the CSPRNG per 4 KiB instead of per value. Each byte is handed out once.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

export const cryptoRandom: Random = {
  bytes(n) {
    if (n > POOL_SIZE / 8) return randomBytes(n);
    if (offset + n > POOL_SIZE) {
      pool = randomBytes(POOL_SIZE);
      offset = 0;
    }
    const out = Buffer.allocUnsafe(n);
    pool.copy(out, 0, offset, offset + n);
    pool.fill(0, offset, offset + n);
    offset += n;
    return out;
  },
};

/** A random identifier with 128 bits of entropy, URL-safe. */
export function newId(random: Random): string {
  return random.bytes(16).toString('base64url');
}
