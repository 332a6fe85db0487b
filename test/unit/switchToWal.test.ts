// A new file's switch to WAL needs the file to itself; a process that meets another one's lock
// tries again (the waiting is counted here, through the injected pause, never timed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { switchToWal } from '../../server/storage/embedded/switchToWal.js';

describe('switching a new embedded file to WAL', () => {
  let dir: string;
  const open: Database.Database[] = [];
  afterEach(() => {
    open.splice(0).forEach((db) => db.open && db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new file (rollback journal) and a second connection reading it: its shared lock blocks the switch. */
  function fileWithReader() {
    dir = mkdtempSync(join(tmpdir(), 'keyward-wal-'));
    const file = join(dir, 'keyward.sqlite');
    const db = new Database(file, { timeout: 5000 });
    db.exec('CREATE TABLE t (x)');
    const reader = new Database(file);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    open.push(db, reader);
    return { db, reader };
  }

  it('tries again after a pause when another process holds the file, and switches once it lets go', () => {
    const { db, reader } = fileWithReader();
    let pauses = 0;
    switchToWal(db, {
      pause: () => {
        pauses++;
        if (pauses === 2) reader.exec('COMMIT');
      },
    });
    expect(pauses).toBe(2);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // SQLite's own wait is back for everything after the switch.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('gives up with SQLITE_BUSY after its attempts, leaving the journal as it was', () => {
    const { db } = fileWithReader();
    let pauses = 0;
    expect(() => switchToWal(db, { attempts: 3, pause: () => pauses++ })).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(pauses).toBe(2);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
