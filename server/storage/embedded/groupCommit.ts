// Group commit for the embedded store. Every SQLite commit writes the touched pages to the
// WAL (and, with EMBEDDED_DURABILITY=full, fsyncs it); a sign-in step writes 4-6 times. So
// writes do not commit one by one: the first write of an event-loop turn opens a
// transaction, every store call of that turn (from any request) joins it, and it commits
// once the turn's callbacks have run (setImmediate). Each caller gets its answer only
// after that commit, so nothing is acknowledged that a crash could take back, and a failed
// commit fails every call of the batch, reads included (they may have seen its writes).
//
// Atomicity is unchanged: better-sqlite3 runs each statement synchronously on this one
// thread, so a conditional UPDATE/DELETE or unique INSERT is decided the moment it runs,
// inside the batch as outside it; a statement that fails is undone alone (SQLite's
// statement rollback), and db.transaction() nests as a savepoint.
import type { Database } from 'better-sqlite3';

interface Batch {
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

export interface GroupCommit {
  /** Runs a store call that may write: it opens (or joins) the batch and resolves after its commit. */
  write<T>(op: () => T): Promise<T>;
  /** Runs a read: at once when no batch is open, else it shares the open batch's fate. */
  read<T>(op: () => T): Promise<T>;
  /** Commits the open batch now (before closing the database). */
  flush(): void;
  /** How many writes this connection has run: what a read remembered is stale once it moves (sessionReadCache.ts). */
  writes(): number;
}

export function createGroupCommit(db: Database): GroupCommit {
  // IMMEDIATE takes the write lock at once (waiting up to busy_timeout): with several worker
  // processes on one file, a deferred transaction that read first could not upgrade to a write
  // once another process committed (SQLITE_BUSY at once, no wait). Batches of all processes
  // are thereby serialised, each holding the lock for one event-loop turn of work.
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let open: Batch | null = null;
  let writes = 0;

  function settle(batch: Batch, err?: unknown) {
    if (open === batch) open = null;
    for (const w of batch.waiters) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  }

  function flush() {
    const batch = open;
    if (!batch) return;
    try {
      commit.run();
      settle(batch);
    } catch (err) {
      if (db.inTransaction) rollback.run();
      settle(batch, err);
    }
  }

  function current(): Batch {
    if (open && !db.inTransaction) {
      // SQLite ended the transaction itself (it does so on some I/O errors): what the batch
      // wrote is gone, so its callers must not hear success.
      settle(open, new Error('the embedded store lost its transaction'));
    }
    if (!open) {
      begin.run();
      open = { waiters: [] };
      setImmediate(flush);
    }
    return open;
  }

  function join<T>(batch: Batch, result: T): Promise<T> {
    return new Promise<T>((resolve, reject) => batch.waiters.push({ resolve: () => resolve(result), reject }));
  }

  return {
    async write(op) {
      const batch = current();
      writes++;
      return join(batch, op());
    },
    async read(op) {
      const result = op();
      return open ? join(open, result) : result;
    },
    flush,
    writes: () => writes,
  };
}

const READS = /^(get|find|list|count|search|query|blockedUntil|lockedAccounts)/;

/** Routes every method of a store through the group commit (reads by name, the rest as writes). */
export function withGroupCommit<S extends object>(store: S, group: GroupCommit): S {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn !== 'function') {
      out[name] = fn;
      continue;
    }
    const run = READS.test(name) ? group.read : group.write;
    // The adapters' methods are async but do their SQLite work synchronously before their
    // first await, so the work lands in the batch; their promise is awaited for the answer.
    out[name] = (...args: unknown[]) => run(() => fn.apply(store, args) as unknown);
  }
  return out as S;
}
