// Secrets from files (docker compose / Kubernetes secrets): NAME_FILE stands for NAME.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-secrets-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
};
const s1 = randomBytes(32).toString('base64url');
const s2 = randomBytes(32).toString('base64url');
const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k0 = `k0:${randomBytes(32).toString('base64')}`;

describe('secrets from files', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads SESSION_SECRETS_FILE and TOTP_ENCRYPTION_KEYS_FILE, one entry per line or comma, newest first', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRETS_FILE: file('sessions', `${s1}\n${s2}\n`),
      TOTP_ENCRYPTION_KEYS_FILE: file('totp', `${k1},${k0}\n`),
      MONGODB_URI_FILE: file('mongo', 'mongodb://user:pw@db:27017/keyward?replicaSet=rs0\n'),
    });
    expect(config.sessionSecrets).toEqual([s1, s2]);
    expect(config.totpEncryptionKeys.map((k) => k.id)).toEqual(['k1', 'k0']);
    expect(config.mongodbUri).toBe('mongodb://user:pw@db:27017/keyward?replicaSet=rs0');
    expect(config.generatedSecrets).toBe(false);
  });

  it('refuses a variable given both ways, a missing file and an empty one, naming each', () => {
    let message = '';
    try {
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRETS: s1,
        SESSION_SECRETS_FILE: file('both', s1),
        TOTP_ENCRYPTION_KEYS_FILE: join(dir, 'no-such-file'),
        MONGODB_URI_FILE: file('empty', '\n'),
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('SESSION_SECRETS_FILE: set only one of SESSION_SECRETS and SESSION_SECRETS_FILE');
    expect(message).toContain('TOTP_ENCRYPTION_KEYS_FILE: cannot read');
    expect(message).toContain('MONGODB_URI_FILE:');
    expect(message).not.toContain(s1);
  });

  it('validates what the file holds like the variable itself', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRETS_FILE: file('short', 'too-short\n'), TOTP_ENCRYPTION_KEYS: k1 })).toThrow(/SESSION_SECRETS\S*: each secret needs at least 32 characters/);
  });

  it('serves metrics on their own port only when METRICS_PORT is set, on HOST unless METRICS_HOST says otherwise', () => {
    const base = { SESSION_SECRETS: s1, TOTP_ENCRYPTION_KEYS: k1 };
    expect(loadConfig(base).metrics).toEqual({ port: undefined, host: '127.0.0.1', public: false });
    expect(loadConfig({ ...base, HOST: '0.0.0.0', METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '0.0.0.0', public: false });
    expect(loadConfig({ ...base, METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', METRICS_PUBLIC: 'true' }).metrics).toEqual({ port: 9464, host: '10.0.0.5', public: true });
    expect(() => loadConfig({ ...base, METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
  });
});
