// Argon2id at OWASP's recommended minimum (19 MiB, t=2, p=1): ~35 ms per hash on this
// machine's cores. Parameters live inside each PHC string, so raising them later upgrades
// hashes on the next successful sign-in (see needsRehash) without invalidating old ones.
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package exports a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

export interface Argon2Params {
  memoryCost: number; // KiB
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Same work as verify, for unknown users: the answer takes as long either way. */
  verifyNothing(password: string): Promise<void>;
  needsRehash(passwordHash: string): boolean;
}

export function createPasswordHasher(params: Argon2Params = OWASP_ARGON2ID): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params };
  const paramTag = `m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  let dummy: Promise<string> | undefined;
  const verifyNothing = async (password: string) => {
    dummy ??= hash('keyward-timing-equalizer', options);
    await verify(await dummy, password).catch(() => false);
  };

  return {
    // NFC: a password typed as composed or decomposed characters is the same password.
    hash: (password) => hash(password.normalize('NFC'), options),
    async verify(passwordHash, password) {
      // Not a PHC string (an added account's unusable marker): the same work, then no.
      if (!passwordHash.startsWith('$')) return verifyNothing(password).then(() => false);
      try {
        return await verify(passwordHash, password);
      } catch {
        // A corrupt stored hash is a failed sign-in, not a crash.
        return false;
      }
    },
    verifyNothing,
    needsRehash: (passwordHash) => !passwordHash.startsWith('$argon2id$v=19$') || !passwordHash.includes(`$${paramTag}`),
  };
}
