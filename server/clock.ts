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

export const cryptoRandom: Random = { bytes: (n) => randomBytes(n) };

/** A random identifier with 128 bits of entropy, URL-safe. */
export function newId(random: Random): string {
  return random.bytes(16).toString('base64url');
}
