// Recovery codes are stored as scrypt hashes under a per-set salt. 50 random bits are
// too few for a fast hash (a stolen database would fall to a GPU in about a day); at
// N=2^14 each guess costs ~35 ms, and checking a code costs one derivation because the
// hash itself is the key the code is looked up by.
import { scrypt } from 'node:crypto';

export interface RecoveryCodeHasher {
  hash(canonicalCode: string, salt: string): Promise<string>;
}

export const RECOVERY_SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;

export function createRecoveryCodeHasher(params: { N: number; r: number; p: number } = RECOVERY_SCRYPT): RecoveryCodeHasher {
  return {
    hash: (code, salt) =>
      new Promise((resolve, reject) => {
        scrypt(code, Buffer.from(salt, 'base64url'), 32, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) =>
          err ? reject(err) : resolve(key.toString('base64url')),
        );
      }),
  };
}
