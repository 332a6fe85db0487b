// Docker and Kubernetes secrets arrive as files: NAME_FILE=/run/secrets/x stands for NAME set
// to that file's contents, so secrets need not sit in the environment (or `docker inspect`).
import { readFileSync } from 'node:fs';

/** Variables that may come from a file; the list-valued ones take one entry per line too. */
export const SECRET_FILE_VARIABLES = {
  SESSION_SECRETS: 'list',
  TOTP_ENCRYPTION_KEYS: 'list',
  MONGODB_URI: 'value',
  SMTP_URL: 'value',
  NOTICE_WEBHOOK_SECRET: 'value',
  LDAP_BIND_PASSWORD: 'value',
} as const;

/** Returns `env` with every NAME_FILE replaced by NAME, and a problem per unusable entry. */
export function readSecretFiles(env: Record<string, string>): { env: Record<string, string>; problems: string[] } {
  const out = { ...env };
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(SECRET_FILE_VARIABLES)) {
    const path = env[`${name}_FILE`];
    if (path === undefined) continue;
    delete out[`${name}_FILE`];
    if (env[name] !== undefined) {
      problems.push(`${name}_FILE: set only one of ${name} and ${name}_FILE`);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    // Editors and `echo` add a final newline; secrets never end in whitespace.
    const value = kind === 'list' ? text.split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean).join(',') : text.trim();
    if (value === '') problems.push(`${name}_FILE: ${path} is empty`);
    else out[name] = value;
  }
  return { env: out, problems };
}
