// What a TOTP verify asks of the database, counted at the storage port: the brute-force
// guard takes one call to reserve all buckets of the guess and one to settle them (issue 23
// item 4; 3 reservations and 3 give-backs before), and the whole verify 8 calls. The writes
// go out in three event-loop turns (reserve; claim the code's step; give back, rotate the
// session and audit together), one group commit each on the embedded store (five before).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/port.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { codeAt, nextStep, passwordStep, signUpWithTotp, verifyTotp } from './totpSteps.js';

/** The embedded store's rule for what may write (groupCommit.ts): the rest are reads. */
const READS = /^(get|find|list|count|search|query|blockedUntil|lockedAccounts)/;

/**
 * The storage with every store method call noted as `store.method`, in call order, and the
 * event-loop turn of each write: writes of one turn share a group commit (it commits at
 * setImmediate), so the number of turns is the number of commits a lone request waits for.
 */
function counted(storage: Storage): { storage: Storage; calls: string[]; writeTurns: number[] } {
  const calls: string[] = [];
  const writeTurns: number[] = [];
  let turn = 0;
  let turnEnds = false;
  const note = (call: string, method: string) => {
    calls.push(call);
    if (READS.test(method)) return;
    writeTurns.push(turn);
    if (turnEnds) return;
    turnEnds = true;
    setImmediate(() => {
      turn++;
      turnEnds = false;
    });
  };
  const out: Record<string, unknown> = { ...storage };
  for (const [name, store] of Object.entries(storage)) {
    if (typeof store !== 'object' || store === null) continue;
    const wrapped: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(store)) {
      wrapped[method] = typeof fn === 'function' ? (...args: unknown[]) => (note(`${name}.${method}`, method), fn.apply(store, args)) : fn;
    }
    out[name] = wrapped;
  }
  return { storage: out as unknown as Storage, calls, writeTurns };
}

describe.each(storageFactories)('database calls of a TOTP verify ($name)', (factory) => {
  let app: TestApp;
  let calls: string[];
  let writeTurns: number[];
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const created = await factory.create();
    dispose = created.dispose;
    const watched = counted(created.storage);
    calls = watched.calls;
    writeTurns = watched.writeTurns;
    app = await startTestApp({ storage: watched.storage, env: {} });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  it('reserves the buckets of a right code in one call and gives them back in one', async () => {
    const { secret } = await signUpWithTotp(app);
    nextStep(app);
    const c = await passwordStep(app);
    calls.splice(0);
    expect((await verifyTotp(app, c, secret)).status).toBe(200);
    expect(calls.filter((k) => k.startsWith('attempts.'))).toEqual(['attempts.reserveAll', 'attempts.releaseAll']);
    expect(calls).toHaveLength(8);
  });

  it('writes a right code in three turns: the reservation, the step claim, then the give-back, the session rotation and the audit line together', async () => {
    const { secret } = await signUpWithTotp(app);
    nextStep(app);
    const c = await passwordStep(app);
    calls.splice(0);
    writeTurns.splice(0);
    expect((await verifyTotp(app, c, secret)).status).toBe(200);
    const writes = calls.filter((k) => !READS.test(k.split('.')[1]!));
    expect(writes).toEqual(['attempts.reserveAll', 'totp.recordUse', 'attempts.releaseAll', 'sessions.rotate', 'audit.append']);
    const [reserve, claim, ...together] = writeTurns;
    expect(new Set(together).size).toBe(1);
    expect(new Set([reserve, claim, together[0]]).size).toBe(3);
  });

  it('reserves the buckets of a wrong code in one call and records the failure in one', async () => {
    const { secret } = await signUpWithTotp(app);
    nextStep(app);
    const c = await passwordStep(app);
    const right = await codeAt(secret, app.clock.now());
    calls.splice(0);
    const res = await c.post('/api/totp/verify', { code: String((Number(right) + 500_000) % 1_000_000).padStart(6, '0') });
    expect(res.status).toBe(401);
    expect(calls.filter((k) => k.startsWith('attempts.'))).toEqual(['attempts.reserveAll', 'attempts.failAll']);
  });
});
