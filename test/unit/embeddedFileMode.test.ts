// The embedded store holds password hashes and sealed secrets: its files are the owner's alone.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';

describe('embedded store files', () => {
  it('creates the database, its write-ahead log and its data directory readable by the owner only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyward-mode-')), 'data');
    const storage = createEmbeddedStorage({ dataDir: dir });
    try {
      await storage.users.findByUsername('nobody'); // the log and shared-memory files appear with use
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const name of ['keyward.sqlite', 'keyward.sqlite-wal', 'keyward.sqlite-shm']) {
        expect({ name, mode: statSync(join(dir, name)).mode & 0o777 }).toEqual({ name, mode: 0o600 });
      }
    } finally {
      await storage.close();
    }
  });
});
