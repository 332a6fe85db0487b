// The embedded store commits the writes of one event-loop turn together. These tests watch
// the database file through a second SQLite connection, as a crash would leave it.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { createGroupCommit } from '../../server/storage/embedded/groupCommit.js';
import { aUser } from './storageContract.js';

describe('embedded store group commit', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((f) => f()));
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-group-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('answers a write only once it is committed, and commits a turn of writes as one', async () => {
    const storage = createEmbeddedStorage({ dataDir: tempDir() });
    const observer = new Database(storage.file, { readonly: true });
    cleanup.push(() => observer.close());
    const committed = () => (observer.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;

    const users = Array.from({ length: 20 }, () => aUser());
    const writes = users.map((u) => storage.users.create(u));
    // Issued, not yet answered: nothing of the batch is in the file for anyone else.
    expect(committed()).toBe(0);
    expect(await Promise.all(writes)).toEqual(users.map(() => true));
    expect(committed()).toBe(20);
    await storage.close();
  });

  it('still decides single use at once inside a batch: one of two identical claims wins', async () => {
    const storage = createEmbeddedStorage({ dataDir: tempDir() });
    const u = aUser();
    await storage.users.create(u);
    const pending = { id: 't1', userId: u.id, name: 'app', secret: { keyId: 'k', sealed: 'x' }, confirmed: false, expiresAt: Date.now() + 60_000, lastUsedStep: -1, createdAt: Date.now(), lastUsedAt: null };
    await storage.totp.createPending(pending);
    await storage.totp.confirm(u.id, 't1', 0, Date.now());
    // Both in the same turn, so in the same transaction.
    const [a, b] = await Promise.all([storage.totp.recordUse('t1', 100, Date.now()), storage.totp.recordUse('t1', 100, Date.now())]);
    expect([a, b].sort()).toEqual([false, true]);
    await storage.close();
  });

  it('fails every call of a batch whose commit fails, reads included, and keeps none of its writes', async () => {
    const db = new Database(join(tempDir(), 'g.sqlite'));
    cleanup.push(() => db.close());
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // A deferred foreign key is checked at COMMIT: a real commit failure, no stand-in.
    db.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
             CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);`);
    const group = createGroupCommit(db);
    const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;

    const good = group.write(() => db.prepare("INSERT INTO parent VALUES ('p1')").run().changes);
    const bad = group.write(() => db.prepare("INSERT INTO child VALUES ('c1', 'nobody')").run().changes);
    const read = group.read(() => count('parent'));
    const results = await Promise.allSettled([good, bad, read]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(count('parent')).toBe(0);
    expect(db.inTransaction).toBe(false);

    // The next turn starts a fresh batch that commits normally.
    expect(await group.write(() => db.prepare("INSERT INTO parent VALUES ('p2')").run().changes)).toBe(1);
    expect(await group.read(() => count('parent'))).toBe(1);
  });

  it('answers reads without waiting for a turn when no batch is open', async () => {
    const storage = createEmbeddedStorage({ dataDir: tempDir() });
    const u = aUser();
    await storage.users.create(u);
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));
    const found = await storage.users.findById(u.id);
    order.push('read answered');
    expect(found).toEqual(u);
    expect(order[0]).toBe('read answered');
    await storage.close();
  });
});
