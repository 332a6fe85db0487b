// `npx tsx bench/guardCost.ts [tree] [guesses] [succeed|fail]`: the CPU of the brute-force guard
// alone per guess (reserve, then succeed or fail), on the embedded store with its group commit
// and 32 guesses in flight, each from its own address. The part of a TOTP verify that issue 23
// item 4 reworked, without the HTTP, session and factor work around it, so a change to it
// shows on a shared machine. `tree`: a built checkout (its dist/) to measure, this one by
// default, so a copy of an older commit can be measured in the same minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [treeArg, countArg = '20000', outcome = 'succeed'] = process.argv.slice(2);
const tree = resolve(treeArg ?? join(fileURLToPath(import.meta.url), '../..'));
const guesses = Number(countArg);
const CONCURRENCY = 32;

async function main() {
  const { createEmbeddedStorage } = (await import(join(tree, 'dist/server/storage/embedded/createEmbeddedStorage.js'))) as typeof import('../server/storage/embedded/createEmbeddedStorage.js');
  const { createAttemptGuard } = (await import(join(tree, 'dist/server/guard/createAttemptGuard.js'))) as typeof import('../server/guard/createAttemptGuard.js');
  const { loadConfig } = (await import(join(tree, 'dist/server/config.js'))) as typeof import('../server/config.js');
  const limits = loadConfig({ SESSION_SECRETS: 'x'.repeat(32), TOTP_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` }).rateLimits;
  const dir = mkdtempSync(join(tmpdir(), 'keyward-guard-'));
  const storage = createEmbeddedStorage({ dataDir: dir });
  const guard = createAttemptGuard({ store: storage.attempts, clock: { now: () => Date.now() }, limits });

  async function guess(i: number) {
    const who = { ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, device: null, request: { userAgent: null, requestId: null } };
    const held = await guard.reserve('second', `user${i % 5000}`, who);
    await (outcome === 'fail' ? guard.fail(held) : guard.succeed(held));
  }
  async function run(count: number, offset: number) {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await guess(offset + next++);
    }));
  }

  await run(2000, 1_000_000); // warm-up (JIT, prepared statements), on other addresses
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run(guesses, 0);
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${tree}: ${outcome}: ${((used.user + used.system) / 1000 / guesses).toFixed(4)} CPU-ms per guess, ${(guesses / seconds).toFixed(0)} guesses/s`);
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
