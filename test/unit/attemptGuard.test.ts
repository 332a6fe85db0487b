import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAttemptGuard, type Lockout } from '../../server/guard/createAttemptGuard.js';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import type { Storage } from '../../server/storage/port.js';
import { KeywardError } from '../../server/errors.js';
import { loadConfig } from '../../server/config.js';
import { createTestClock } from '../helpers/testClock.js';

const limits = loadConfig({ SESSION_SECRETS: 'x'.repeat(32), TOTP_ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}` }).rateLimits;

describe('attempt guard back-off', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-guard-'));
    storage = createEmbeddedStorage({ dataDir: dir });
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function retryAfter(check: () => Promise<void>): Promise<number | null> {
    try {
      await check();
      return null;
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'too_many_attempts') return Number(err.headers?.['Retry-After']);
      throw err;
    }
  }

  it('uses the documented defaults: 5 per 15 min per account+IP, 100 per day per account, 100 per 15 min per IP, 1 min to 1 h', () => {
    expect(limits).toEqual({
      accountIp: { max: 5, windowSeconds: 900 },
      account: { max: 100, windowSeconds: 86400 },
      ip: { max: 100, windowSeconds: 900 },
      backoffBaseSeconds: 60,
      backoffMaxSeconds: 3600,
    });
  });

  it('doubles the back-off from 1 minute with each further failure, up to 1 hour, then forgets after a day', async () => {
    const clock = createTestClock(1_800_000_000_000);
    const lockouts: Lockout[] = [];
    const guard = createAttemptGuard({ store: storage.attempts, clock, limits, onLockout: async (l) => void lockouts.push(l) });
    for (let i = 0; i < 4; i++) await guard.fail('alice', '198.51.100.1');
    expect(await retryAfter(() => guard.check('alice', '198.51.100.1'))).toBeNull();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      await guard.fail('alice', '198.51.100.1');
      const wait = (await retryAfter(() => guard.check('alice', '198.51.100.1')))!;
      waits.push(wait);
      clock.advance(wait * 1000);
      expect(await retryAfter(() => guard.check('alice', '198.51.100.1'))).toBeNull();
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    expect(lockouts.every((l) => l.bucket === 'account-ip' && l.account === 'alice')).toBe(true);
    // Other addresses were never held off by this bucket.
    expect(await retryAfter(() => guard.check('alice', '203.0.113.5'))).toBeNull();
    clock.advance(24 * 3600 * 1000 + 1);
    await guard.fail('alice', '198.51.100.1');
    expect(await retryAfter(() => guard.check('alice', '198.51.100.1'))).toBeNull();
  });

  it('unlocks every bucket of an account at once', async () => {
    const clock = createTestClock(1_800_000_000_000);
    const guard = createAttemptGuard({ store: storage.attempts, clock, limits });
    for (let i = 0; i < 5; i++) await guard.fail('bob', '198.51.100.1');
    expect(await guard.lockedAccounts(['bob', 'carol'])).toEqual(['bob']);
    await guard.unlock('bob');
    expect(await guard.lockedAccounts(['bob'])).toEqual([]);
    expect(await retryAfter(() => guard.check('bob', '198.51.100.1'))).toBeNull();
  });
});
