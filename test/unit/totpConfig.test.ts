import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

const BASE = {
  NODE_ENV: 'test',
  SESSION_SECRETS: 'x'.repeat(32),
  TOTP_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

describe('TOTP configuration', () => {
  it('defaults to 30 s, 6 digits and SHA1', () => {
    const c = loadConfig(BASE);
    expect([c.totpPeriodSeconds, c.totpDigits, c.totpAlgorithm]).toEqual([30, 6, 'sha1']);
  });

  it('takes a period, 8 digits and SHA256/SHA512', () => {
    const c = loadConfig({ ...BASE, TOTP_PERIOD: '60', TOTP_DIGITS: '8', TOTP_ALGORITHM: 'SHA512' });
    expect([c.totpPeriodSeconds, c.totpDigits, c.totpAlgorithm]).toEqual([60, 8, 'sha512']);
  });

  it('refuses values authenticator apps cannot follow, naming the variable', () => {
    expect(() => loadConfig({ ...BASE, TOTP_PERIOD: '5' })).toThrow(/TOTP_PERIOD/);
    expect(() => loadConfig({ ...BASE, TOTP_PERIOD: '30.5' })).toThrow(/TOTP_PERIOD/);
    expect(() => loadConfig({ ...BASE, TOTP_DIGITS: '7' })).toThrow(/TOTP_DIGITS/);
    expect(() => loadConfig({ ...BASE, TOTP_ALGORITHM: 'MD5' })).toThrow(/TOTP_ALGORITHM/);
  });
});
