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

  async function retryAfter(attempt: () => Promise<unknown>): Promise<number | null> {
    try {
      await attempt();
      return null;
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'too_many_attempts') return Number(err.headers?.['Retry-After']);
      throw err;
    }
  }
  const from = (ip: string) => ({ ip, device: null, request: { userAgent: null, requestId: null } });

  it('uses the documented defaults: 5 per 15 min per account+IP, 100 per day per account, 100 per 15 min per IP, 1 min to 1 h', () => {
    expect(limits).toMatchObject({
      accountIp: { max: 5, windowSeconds: 900 },
      account: { max: 100, windowSeconds: 86400 },
      ip: { max: 100, windowSeconds: 900 },
      backoffBaseSeconds: 60,
      backoffMaxSeconds: 3600,
      ipv6Prefix: 64,
    });
  });

  it('doubles the back-off from 1 minute with each further failure, up to 1 hour, then forgets after a day', async () => {
    const clock = createTestClock(1_800_000_000_000);
    const lockouts: Lockout[] = [];
    const guard = createAttemptGuard({ store: storage.attempts, clock, limits, onLockout: async (l) => void lockouts.push(l) });
    const guess = async (ip = '198.51.100.1') => guard.fail(await guard.reserve('password', 'alice', from(ip)));
    for (let i = 0; i < 4; i++) await guess();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      await guess();
      const wait = (await retryAfter(() => guard.reserve('password', 'alice', from('198.51.100.1'))))!;
      waits.push(wait);
      clock.advance(wait * 1000);
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    expect(lockouts.every((l) => l.bucket === 'account-ip' && l.account === 'alice' && l.factor === 'password')).toBe(true);
    // Other addresses, and the second factor from this one, were never held off by this bucket.
    expect(await retryAfter(() => guard.reserve('password', 'alice', from('203.0.113.5')))).toBeNull();
    await guess();
    expect(await retryAfter(() => guard.reserve('second', 'alice', from('198.51.100.1')))).toBeNull();
    clock.advance(24 * 3600 * 1000 + 1);
    await guess();
    expect(await retryAfter(() => guard.reserve('password', 'alice', from('198.51.100.1')))).toBeNull();
  });

  it('counts the addresses of one IPv6 /64 as one', async () => {
    const clock = createTestClock(1_800_000_000_000);
    const guard = createAttemptGuard({ store: storage.attempts, clock, limits });
    for (let i = 0; i < 5; i++) await guard.fail(await guard.reserve('password', 'alice', from(`2001:db8:1:2::${i + 1}`)));
    expect(await retryAfter(() => guard.reserve('password', 'alice', from('2001:db8:1:2:ffff:1:2:3')))).toBe(60);
    expect(await retryAfter(() => guard.reserve('password', 'alice', from('2001:db8:1:3::1')))).toBeNull();
  });

  it('unlocks every bucket of an account at once', async () => {
    const clock = createTestClock(1_800_000_000_000);
    const guard = createAttemptGuard({ store: storage.attempts, clock, limits });
    for (let i = 0; i < 5; i++) await guard.fail(await guard.reserve('second', 'bob', from('198.51.100.1')));
    expect(await guard.lockedAccounts(['bob', 'carol'])).toEqual(['bob']);
    await guard.unlock('bob');
    expect(await guard.lockedAccounts(['bob'])).toEqual([]);
    expect(await retryAfter(() => guard.reserve('second', 'bob', from('198.51.100.1')))).toBeNull();
  });
});
