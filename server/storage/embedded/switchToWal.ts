// Turning a new file's journal into WAL needs the file to itself for a moment. When several
// processes do it at once, SQLite may answer SQLITE_BUSY at once instead of waiting for
// busy_timeout (it refuses to wait where two lock holders could wait for each other), or
// leave the mode as it was. Once one process has switched, the mode is stored in the file and
// the switch is a no-op for everyone else, so trying again shortly always ends.
import type { Database } from 'better-sqlite3';

export interface WalSwitchOptions {
  /** Blocks this thread for `ms` (the connection is synchronous anyway). */
  pause(ms: number): void;
  /** Tries in all; with PAUSE_MS between them, about busy_timeout's 5 s. */
  attempts?: number;
}

const PAUSE_MS = 25;

export function switchToWal(db: Database, opts: WalSwitchOptions): void {
  const attempts = opts.attempts ?? 200;
  // This loop does the waiting: with SQLite's busy handler too, every attempt could wait
  // busy_timeout itself and the whole could last attempts times as long.
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    for (let i = 1; ; i++) {
      try {
        if (db.pragma('journal_mode = WAL', { simple: true }) === 'wal') return;
        if (i >= attempts) throw Object.assign(new Error('the journal mode stayed as it was'), { code: 'SQLITE_BUSY' });
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || i >= attempts) throw err;
      }
      opts.pause(PAUSE_MS);
    }
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/** The real pause: a synchronous sleep, as SQLite's own busy handler does. */
export function pauseThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
