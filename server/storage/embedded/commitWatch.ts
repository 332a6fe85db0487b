// Whether anything was committed to the embedded store since the last look, by any process.
// SQLite's `PRAGMA data_version` answers that, but in WAL mode each ask takes and drops a
// read lock on the shared-memory file (three system calls), and forward-auth asks on every
// check. SQLite itself decides whether its page cache is still good by comparing the
// WAL-index header (the first 48 bytes of the `-shm` file, https://sqlite.org/walformat.html)
// with the copy it kept: every commit rewrites it, since its change counter and last frame
// move. Here those 48 bytes are read with one pread and compared the same way.
//
// A read that overlaps a commit gets old bytes (the commit is not yet visible) or a mix
// that equals no earlier header: "changed", the safe answer. When the file cannot be
// read (another VFS, an older SQLite layout) the pragma answers instead.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

const HEADER_BYTES = 48;

export interface CommitWatch {
  /** True once something was committed since the previous call (the first call: true). */
  changed(): boolean;
  /** What it reads: the WAL-index header, or SQLite's pragma when that cannot be read. */
  readonly via: 'wal-index' | 'data_version';
  close(): void;
}

export function createCommitWatch(db: Database, file: string): CommitWatch {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let fd: number | null = null;
  if (db.pragma('journal_mode', { simple: true }) === 'wal') {
    try {
      fd = openSync(`${file}-shm`, 'r');
    } catch {
      fd = null;
    }
  }
  let seen = Buffer.alloc(HEADER_BYTES);
  let next = Buffer.alloc(HEADER_BYTES);
  let seenVersion = -1;
  let first = true;

  function headerChanged(handle: number): boolean {
    const read = readSync(handle, next, 0, HEADER_BYTES, 0);
    if (read < HEADER_BYTES) {
      first = true;
      return true;
    }
    if (!first && next.equals(seen)) return false;
    first = false;
    [seen, next] = [next, seen];
    return true;
  }

  return {
    via: fd !== null ? 'wal-index' : 'data_version',
    changed() {
      if (fd !== null) return headerChanged(fd);
      const version = dataVersion.get()!;
      if (version === seenVersion) return false;
      seenVersion = version;
      return true;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
