// A data file written by a version without username skeletons opens, gains the column and
// its unique index, and the start-up backfill guards the old names against look-alikes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { backfillUsernameSkeletons } from '../../server/accounts/backfillUsernameSkeletons.js';
import { usernameSkeleton } from '../../server/accounts/usernameSkeleton.js';
import { aUser } from './storageContract.js';

describe('embedded store written by an earlier version', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('adds the skeleton column, backfills it, and refuses a look-alike of an old name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-migrate-'));
    dirs.push(dir);
    const old = new Database(join(dir, 'keyward.sqlite'));
    old.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL, username_normalized TEXT NOT NULL UNIQUE,
      display_name TEXT NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL DEFAULT '[]', created_at INTEGER NOT NULL)`);
    const insert = old.prepare("INSERT INTO users VALUES (?, ?, ?, ?, 'x', '[]', 0)");
    insert.run('old-1', 'ace', 'ace', 'Ace');
    insert.run('old-2', 'асе', 'асе', 'Cyrillic look-alike stored before the check existed');
    old.close();

    const storage = createEmbeddedStorage({ dataDir: dir });
    try {
      expect(await backfillUsernameSkeletons(storage.users)).toEqual({ set: 1, notSet: 1 });
      expect((await storage.users.findById('old-1'))?.usernameSkeleton).toBe(usernameSkeleton('ace'));
      expect((await storage.users.findById('old-2'))?.usernameSkeleton).toBeNull();
      // The language column came later too: none stored yet, and one can be.
      expect((await storage.users.findById('old-1'))?.language).toBeNull();
      expect(await storage.users.setLanguage('old-1', 'de')).toBe(true);
      expect((await storage.users.findById('old-1'))?.language).toBe('de');
      expect(await storage.users.create(aUser({ usernameNormalized: 'ace', usernameSkeleton: usernameSkeleton('ace') }))).toBe(false);
      expect(await storage.users.create(aUser({ usernameSkeleton: usernameSkeleton('ace') }))).toBe(false);
    } finally {
      await storage.close();
    }
  });

  it('opens a store where an older version let two accounts share an address: the first keeps it, no new account takes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-migrate-'));
    dirs.push(dir);
    const first = createEmbeddedStorage({ dataDir: dir });
    const db = new Database(first.file);
    await first.close();
    // As the table was before the address key existed (and before the file recorded its
    // schema: earlier versions left user_version at 0).
    db.exec('DROP INDEX users_email_key; ALTER TABLE users DROP COLUMN email_key; PRAGMA user_version = 0');
    const insert = db.prepare("INSERT INTO users (id, username, username_normalized, display_name, password_hash, email, created_at) VALUES (?, ?, ?, ?, 'x', ?, 0)");
    insert.run('old-1', 'ann', 'ann', 'Ann', 'ann@example.org');
    insert.run('old-2', 'anna', 'anna', 'Anna', 'ann@example.org');
    db.close();

    const storage = createEmbeddedStorage({ dataDir: dir });
    try {
      expect((await storage.users.findByEmail('ANN@example.org'))?.id).toBe('old-1');
      expect((await storage.users.findById('old-2'))?.email).toBe('ann@example.org');
      expect(await storage.users.create(aUser({ email: 'ann@example.org' }))).toBe(false);
    } finally {
      await storage.close();
    }
  });
});
