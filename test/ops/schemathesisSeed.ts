// The seed of a Schemathesis run: derived from the commit under test, so every commit fuzzes
// the API with different cases (a fixed seed tests the same few forever), yet a failure is
// reproduced by running again at that commit or with the printed SCHEMATHESIS_SEED.
import { execFileSync } from 'node:child_process';

export interface SeedChoice {
  seed: string;
  /** Where it came from, for the log line. */
  from: string;
}

/** SCHEMATHESIS_SEED if set, else the first 31 bits of the commit (GITHUB_SHA, else `git rev-parse HEAD`). */
export function schemathesisSeed(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SeedChoice {
  const given = env['SCHEMATHESIS_SEED'];
  if (given) {
    if (!/^\d{1,10}$/.test(given)) throw new Error(`SCHEMATHESIS_SEED must be a number, not "${given}"`);
    return { seed: given, from: 'SCHEMATHESIS_SEED' };
  }
  const commit = env['GITHUB_SHA'] || execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
  if (!/^[0-9a-f]{8,}$/.test(commit)) throw new Error(`cannot derive a Schemathesis seed from commit "${commit}"`);
  return { seed: String(parseInt(commit.slice(0, 8), 16) & 0x7fffffff), from: `commit ${commit.slice(0, 12)}` };
}

/** The line a run prints first: how to run the same cases again. */
export const seedLine = (s: SeedChoice) => `Schemathesis seed ${s.seed} (from ${s.from}); run the same cases again with SCHEMATHESIS_SEED=${s.seed}`;
