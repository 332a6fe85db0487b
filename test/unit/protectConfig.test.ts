import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'keyward-protect-config-')) });

describe('configuration for protecting other apps', () => {
  it('defaults to the first origin for sign-in, issuer and audience, and to the origins as return hosts', () => {
    const c = loadConfig({ ...base(), ORIGINS: 'https://login.example.com,https://id.example.net' });
    expect(c.protect).toEqual({
      signInUrl: 'https://login.example.com/signin',
      returnDomains: ['login.example.com', 'id.example.net'],
      tokenIssuer: 'https://login.example.com',
      tokenAudience: 'https://login.example.com',
      tokenTtlSeconds: 300,
      signingKeyRotationSeconds: 7 * 86400,
    });
    expect(c.cookieDomain).toBeUndefined();
  });

  it('shares the cookie with a domain and then accepts its subdomains as return hosts', () => {
    const c = loadConfig({ ...base(), ORIGINS: 'https://login.example.com', COOKIE_DOMAIN: '.Example.com' });
    expect(c.cookieDomain).toBe('example.com');
    expect(c.protect.returnDomains).toEqual(['login.example.com', '.example.com']);
  });

  it('refuses a cookie domain that does not cover the origins (browsers would drop the cookie)', () => {
    expect(() => loadConfig({ ...base(), ORIGINS: 'https://login.example.com', COOKIE_DOMAIN: 'example.org' })).toThrow(/COOKIE_DOMAIN/);
    expect(() => loadConfig({ ...base(), COOKIE_DOMAIN: 'not a domain' })).toThrow(ConfigError);
  });

  it('takes an explicit allow-list, sign-in page and audience', () => {
    const c = loadConfig({
      ...base(),
      AUTHZ_RETURN_DOMAINS: 'app.example.com, .Apps.Example.org',
      SIGN_IN_URL: 'https://login.example.com/signin?from=proxy',
      TOKEN_AUDIENCE: 'https://api.example.com',
    });
    expect(c.protect.returnDomains).toEqual(['app.example.com', '.apps.example.org']);
    expect(c.protect.signInUrl).toBe('https://login.example.com/signin?from=proxy');
    expect(c.protect.tokenAudience).toBe('https://api.example.com');
  });

  it('caps session tokens at 15 minutes and keeps key rotation sensible', () => {
    expect(() => loadConfig({ ...base(), TOKEN_TTL: '901' })).toThrow(/TOKEN_TTL/);
    expect(loadConfig({ ...base(), TOKEN_TTL: '900' }).protect.tokenTtlSeconds).toBe(900);
    expect(() => loadConfig({ ...base(), SIGNING_KEY_ROTATION: '60' })).toThrow(/SIGNING_KEY_ROTATION/);
    expect(() => loadConfig({ ...base(), AUTHZ_RETURN_DOMAINS: 'https://app.example.com' })).toThrow(/AUTHZ_RETURN_DOMAINS/);
    expect(() => loadConfig({ ...base(), SIGN_IN_URL: 'javascript:alert(1)' })).toThrow(/SIGN_IN_URL/);
  });
});
