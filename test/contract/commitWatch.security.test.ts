// The embedded store's answer to "has anything been committed since I last looked?"
// (server/storage/embedded/commitWatch.ts): forward-auth answers from memory only while it
// says no, so it must say yes after every commit, whoever made it. Real SQLite files, a
// second connection standing in for another process (the same locks and shared memory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommitWatch, type CommitWatch } from '../../server/storage/embedded/commitWatch.js';

const dirs: string[] = [];
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function aDatabase(journal: 'wal' | 'delete'): { file: string; db: Database.Database; other: Database.Database; watch: CommitWatch } {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-commit-watch-'));
  dirs.push(dir);
  const file = join(dir, 'store.sqlite');
  const db = new Database(file);
  db.pragma(`journal_mode = ${journal}`);
  db.exec('CREATE TABLE t (x INTEGER)');
  const other = new Database(file);
  const watch = createCommitWatch(db, file);
  cleanup.push(() => {
    watch.close();
    other.close();
    db.close();
  });
  return { file, db, other, watch };
}

describe.each(['wal', 'delete'] as const)('the commit watch (journal mode %s)', (journal) => {
  it('says nothing changed while nobody commits', () => {
    const { db, watch } = aDatabase(journal);
    // One pread of the shared memory in WAL mode (the store's mode); the pragma otherwise.
    expect(watch.via).toBe(journal === 'wal' ? 'wal-index' : 'data_version');
    expect(watch.changed()).toBe(true);
    db.prepare('SELECT count(*) FROM t').get();
    for (let i = 0; i < 5; i++) expect(watch.changed()).toBe(false);
  });

  it("sees another connection's commit at the next look, every time", () => {
    const { other, watch } = aDatabase(journal);
    watch.changed();
    for (let i = 0; i < 20; i++) {
      other.prepare('INSERT INTO t VALUES (?)').run(i);
      expect(watch.changed()).toBe(true);
      expect(watch.changed()).toBe(false);
    }
  });

  it('sees a commit that follows a checkpoint which emptied the log', () => {
    const { db, other, watch } = aDatabase(journal);
    other.prepare('INSERT INTO t VALUES (1)').run();
    watch.changed();
    if (journal === 'wal') other.pragma('wal_checkpoint(TRUNCATE)');
    watch.changed();
    other.prepare('DELETE FROM t').run();
    expect(watch.changed()).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('does not see a transaction that is still open, and sees it once committed', () => {
    const { other, watch } = aDatabase(journal);
    watch.changed();
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO t VALUES (1)').run();
    expect(watch.changed()).toBe(false);
    other.exec('COMMIT');
    expect(watch.changed()).toBe(true);
  });
});
