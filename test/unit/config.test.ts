import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const SECRET = 's'.repeat(32);
const tmp = () => mkdtempSync(join(tmpdir(), 'keyward-config-'));

describe('configuration', () => {
  it('starts with safe defaults for a local try-out', () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c).toMatchObject({
      port: 3000,
      rpId: 'localhost',
      origins: ['http://localhost:3000'],
      mfaRequired: true,
      cookieSecure: false,
      attestation: 'none',
      stepUpMaxAgeSeconds: 300,
      bodyLimitBytes: 102400,
      mongodbUri: undefined,
    });
  });

  it('names every bad variable in one clear error', () => {
    const attempt = () => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty', MFA_REQUIRED: 'maybe', ORIGINS: 'not a url' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/MFA_REQUIRED/);
    expect(attempt).toThrow(/ORIGINS/);
  });

  it('refuses a TOTP encryption key that is not 32 bytes', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), TOTP_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/TOTP_ENCRYPTION_KEYS/);
  });

  it('refuses to start in production without SESSION_SECRETS and TOTP_ENCRYPTION_KEYS', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tmp() })).toThrow(/SESSION_SECRETS: required[^\n]*openssl rand -base64 32\)\n {2}TOTP_ENCRYPTION_KEYS: required/);
    // Each missing secret gets the hint for its own shape: the session secret's is not an id:key.
    expect(() => loadConfig({ NODE_ENV: 'production', TOTP_ENCRYPTION_KEYS: KEY, DATA_DIR: tmp() })).toThrow(/^Invalid configuration:\n {2}SESSION_SECRETS: required when NODE_ENV=production \(generate with: openssl rand -base64 32\)$/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRETS: SECRET, DATA_DIR: tmp() })).toThrow(/TOTP_ENCRYPTION_KEYS: [^\n]*k1:\$\(openssl rand -base64 32\)/);
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRETS: SECRET, TOTP_ENCRYPTION_KEYS: KEY });
    expect(c.cookieSecure).toBe(true);
    expect(c.generatedSecrets).toBe(false);
  });

  it('generates development secrets once, keeps them in DATA_DIR (0600), and reuses them', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.generatedSecrets).toBe(true);
    expect(second.sessionSecrets).toEqual(first.sessionSecrets);
    expect(second.totpEncryptionKeys[0]!.key.equals(first.totpEncryptionKeys[0]!.key)).toBe(true);
    expect(first.totpEncryptionKeys[0]!.key).toHaveLength(32);
    const file = join(dir, 'dev-secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(first.sessionSecrets[0]);
  });

  it('reads comma lists with the newest secret and the encrypting key first', () => {
    const c = loadConfig({
      SESSION_SECRETS: `${'a'.repeat(32)}, ${'b'.repeat(32)}`,
      TOTP_ENCRYPTION_KEYS: `new:${Buffer.alloc(32, 1).toString('base64')},old:${Buffer.alloc(32, 2).toString('base64')}`,
      ORIGINS: 'https://login.example.com/, https://auth.example.com',
    });
    expect(c.sessionSecrets[0]).toBe('a'.repeat(32));
    expect(c.totpEncryptionKeys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(c.origins).toEqual(['https://login.example.com', 'https://auth.example.com']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATA_DIR: tmp(), MONGODB_URI: '', PORT: '' }).port).toBe(3000);
  });

  it('closes sign-up by default in production and opens it elsewhere', () => {
    const production = loadConfig({ NODE_ENV: 'production', SESSION_SECRETS: SECRET, TOTP_ENCRYPTION_KEYS: KEY });
    expect(production.access).toMatchObject({ signup: 'closed', signupEmailDomains: [], rulesFile: undefined });
    expect(loadConfig({ DATA_DIR: tmp() }).access.signup).toBe('open');
    expect(loadConfig({ DATA_DIR: tmp(), SIGNUP: 'invite', SIGNUP_EMAIL_DOMAINS: 'Example.com, corp.example' }).access).toMatchObject({ signup: 'invite', signupEmailDomains: ['example.com', 'corp.example'] });
    expect(() => loadConfig({ DATA_DIR: tmp(), SIGNUP: 'maybe' })).toThrow(/SIGNUP/);
  });

  it('lets accounts have a password or a passkey by default, and takes PASSWORDS=required or off', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).access.passwords).toBe('optional');
    expect(loadConfig({ DATA_DIR: tmp(), PASSWORDS: 'off' }).access.passwords).toBe('off');
    expect(loadConfig({ DATA_DIR: tmp(), PASSWORDS: 'required' }).access.passwords).toBe('required');
    expect(() => loadConfig({ DATA_DIR: tmp(), PASSWORDS: 'never' })).toThrow(/PASSWORDS/);
  });

  it('refuses ACCESS_RULES_FILE without TRUST_PROXY: the rules need the forwarded request', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ACCESS_RULES_FILE: '/etc/keyward/rules.yml' })).toThrow(/ACCESS_RULES_FILE: needs TRUST_PROXY=true/);
    expect(loadConfig({ DATA_DIR: tmp(), ACCESS_RULES_FILE: '/etc/keyward/rules.yml', TRUST_PROXY: 'true' }).access.rulesFile).toBe('/etc/keyward/rules.yml');
  });
});
