// docker-compose.secrets.yml: the secrets come from files that compose mounts, through the
// NAME_FILE variables Keyward reads, and those files stay out of git and of the image.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SECRET_FILE_VARIABLES } from '../../server/readSecretFiles.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Override {
  services?: { keyward?: { environment?: Record<string, string>; secrets?: string[] } };
  secrets?: Record<string, { file?: string }>;
}

describe('docker-compose.secrets.yml', () => {
  const override = parse(read('docker-compose.secrets.yml')) as Override;
  const keyward = override.services?.keyward ?? {};

  it('hands SESSION_SECRETS and TOTP_ENCRYPTION_KEYS to Keyward as files under /run/secrets', () => {
    const env = keyward.environment ?? {};
    expect(Object.keys(env).sort()).toEqual(['SESSION_SECRETS_FILE', 'TOTP_ENCRYPTION_KEYS_FILE']);
    for (const [name, path] of Object.entries(env)) {
      expect(Object.keys(SECRET_FILE_VARIABLES)).toContain(name.replace(/_FILE$/, ''));
      const secret = path.replace('/run/secrets/', '');
      expect(keyward.secrets).toContain(secret);
      expect(override.secrets?.[secret]?.file).toMatch(/^\.\/secrets\//);
    }
  });

  it('keeps the secret files out of version control and out of the image', () => {
    expect(read('.gitignore').split('\n')).toContain('secrets/');
    expect(read('.dockerignore').split('\n')).toContain('secrets');
  });
});
