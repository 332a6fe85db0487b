// What a TOTP verify asks of the database, counted at the storage port: the brute-force
// guard takes one call to reserve all buckets of the guess and one to settle them (issue 23
// item 4; 3 reservations and 3 give-backs before), and the whole verify 8 calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/port.js';
import { storageFactories } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { codeAt, nextStep, passwordStep, signUpWithTotp, verifyTotp } from './totpSteps.js';

/** The storage with every store method call noted as `store.method`, in call order. */
function counted(storage: Storage): { storage: Storage; calls: string[] } {
  const calls: string[] = [];
  const out: Record<string, unknown> = { ...storage };
  for (const [name, store] of Object.entries(storage)) {
    if (typeof store !== 'object' || store === null) continue;
    const wrapped: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(store)) {
      wrapped[method] = typeof fn === 'function' ? (...args: unknown[]) => (calls.push(`${name}.${method}`), fn.apply(store, args)) : fn;
    }
    out[name] = wrapped;
  }
  return { storage: out as unknown as Storage, calls };
}

describe.each(storageFactories)('database calls of a TOTP verify ($name)', (factory) => {
  let app: TestApp;
  let calls: string[];
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    const created = await factory.create();
    dispose = created.dispose;
    const watched = counted(created.storage);
    calls = watched.calls;
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
