// Forward-auth asks for the same few sessions on every page view of every protected app, and
// on the embedded store that read was the largest piece of a check's CPU (a join by primary
// keys and the parse of its row). Here a read is answered from memory only while the database
// is provably unchanged since the entry was stored: no connection has committed since
// (commitWatch.ts: another worker, another Keyward on this machine, the CLI) and this
// connection's own count of writes is what it was. So a
// revocation, a sign-out, a group change or a session touch anywhere empties the memory
// before the next check reads, and nothing outlives it: the promise of
// test/http/forwardAuthRevocation.security.test.ts. Each entry is also held to its own
// expiry at `now`, as the store's read is. Entries are made only outside a write batch, so a
// check is never answered from a write that is not yet committed (groupCommit.ts).
import type { Database } from 'better-sqlite3';
import type { SessionRecord, SessionStore, SessionUserNames } from '../port.js';
import type { CommitWatch } from './commitWatch.js';

type SessionWithUser = SessionRecord & { user?: SessionUserNames | null };

/** Enough for every live session of a large site; past it the memory starts afresh. */
const MAX_ENTRIES = 50_000;

export interface SessionReadCacheDeps {
  db: Database;
  /** Whether any connection committed since the last look. */
  commits: CommitWatch;
  /** How many writes this connection has made (GroupCommit.writes). */
  ownWrites(): number;
}

export interface SessionReadCacheStats {
  hits: number;
  misses: number;
}

/** `sessions` with getWithUser answered from memory while the database is unchanged; the rest as it was. */
export function cacheSessionReads(sessions: SessionStore, deps: SessionReadCacheDeps): SessionStore & { readonly stats: SessionReadCacheStats } {
  const entries = new Map<string, SessionWithUser>();
  let seenWrites = -1;
  const stats: SessionReadCacheStats = { hits: 0, misses: 0 };

  /** Whether the entries may still be used; forgets them when not. */
  function unchanged(): boolean {
    const committed = deps.commits.changed();
    const writes = deps.ownWrites();
    if (!committed && writes === seenWrites) return true;
    entries.clear();
    seenWrites = writes;
    return false;
  }

  return {
    ...sessions,
    stats,
    async getWithUser(idHash, now) {
      if (unchanged()) {
        const hit = entries.get(idHash);
        if (hit && hit.expiresAt > now) {
          stats.hits++;
          return hit;
        }
      }
      stats.misses++;
      const found = await sessions.getWithUser(idHash, now);
      // Stored only when nothing was written while the read waited (a read waits for an open
      // batch's commit) and no batch is open now: the entry is committed state.
      if (found && !deps.db.inTransaction && unchanged()) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(idHash, freeze(found));
      }
      return found;
    },
  };
}

/** Shared by every check that reads it: any attempt to change it throws rather than leaking into the next. */
function freeze(r: SessionWithUser): SessionWithUser {
  Object.freeze(r.data);
  if (r.user) Object.freeze(r.user.groups);
  if (r.user) Object.freeze(r.user);
  return Object.freeze(r);
}
