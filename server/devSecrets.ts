// Development convenience: secrets generated on first start and kept in DATA_DIR.
// Losing them would sign everyone out and make stored TOTP secrets unreadable, so they
// are written once (mode 0600) and reused; production must pass them explicitly.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  sessionSecrets: string[];
  totpEncryptionKeys: { id: string; key: Buffer }[];
}

interface StoredSecrets {
  sessionSecret: string;
  totpKeyId: string;
  totpKey: string;
}

export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  let stored: StoredSecrets;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    stored = {
      sessionSecret: randomBytes(32).toString('base64url'),
      totpKeyId: 'dev1',
      totpKey: randomBytes(32).toString('base64'),
    };
    mkdirSync(dataDir, { recursive: true });
    // 'wx' so two processes starting at once cannot overwrite each other's secrets.
    try {
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw writeErr;
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
    }
  }
  return {
    sessionSecrets: [stored.sessionSecret],
    totpEncryptionKeys: [{ id: stored.totpKeyId, key: Buffer.from(stored.totpKey, 'base64') }],
  };
}
