// Randomness that repeats from run to run, so the screenshots show the same recovery codes,
// authenticator key and links each time. Never for a real server.
import { createHash } from 'node:crypto';
import type { Random } from '../../server/clock.js';

/**
 * One stream per requested length: the browser's parallel requests draw request and session
 * ids (12, 32 bytes) in whatever order they arrive, and must not shift what a recovery code
 * (10 bytes) or an authenticator key (20 bytes) gets.
 */
export function seededRandom(seed: string): Random {
  const drawn = new Map<number, number>();
  return {
    bytes(n) {
      const index = drawn.get(n) ?? 0;
      drawn.set(n, index + 1);
      const out = Buffer.alloc(n);
      for (let block = 0, at = 0; at < n; block++) {
        at += createHash('sha256').update(`${seed}/${n}/${index}/${block}`).digest().copy(out, at);
      }
      return out;
    },
  };
}
