// Who a signed-in session belongs to, as the apps behind Keyward see them. Every proxied
// request asks, so the user's name is cached per process for a minute: a username never
// changes, a display-name change shows within the minute, and revocation is unaffected
// (the session itself is read from the database on every request, never cached). A directory
// person is looked up in the directory again when their entry is (re)read: removed or
// disabled there, their sessions are refused within the minute; while the directory does not
// answer, the copy stored at their last look-up stands, so signed-in people keep working.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { SessionUserNames, UserRecord, UserStore } from '../storage/port.js';
import { allGroups } from '../accounts/createAccountService.js';
import { KeywardError } from '../errors.js';
import type { Aal, Amr, SessionView } from '../session/sessionState.js';

export interface KeywardUser {
  id: string;
  username: string;
  displayName: string;
  /** As administrators set them, with the directory's; a change shows within the cache minute. */
  groups: string[];
  aal: Aal;
  amr: Amr[];
  /** When the first factor (password or passkey) succeeded. */
  authenticatedAt: number;
}

export interface SessionIdentity {
  /**
   * The user of a fully signed-in session; null for any other state, or a user that no longer
   * exists. `known`: the names as the session read brought them (SessionStore.getWithUser),
   * fresher than the cache; undefined: from the cache.
   */
  identify(view: SessionView, known?: SessionUserNames | null): Promise<KeywardUser | null>;
}

interface Names {
  username: string;
  displayName: string;
  groups: string[];
  until: number;
}

export interface SessionIdentityDeps {
  users: UserStore;
  clock: Clock;
  cacheTtlMs?: number;
  /** Bounds memory; the oldest entry goes first. */
  cacheEntries?: number;
  /** Directory people's records brought up to date; null: no longer in the directory. */
  directory?: { refresh(user: UserRecord): Promise<UserRecord | null> } | undefined;
  logger?: Logger;
}

export function createSessionIdentity(deps: SessionIdentityDeps): SessionIdentity {
  const ttl = deps.cacheTtlMs ?? 60_000;
  const max = deps.cacheEntries ?? 10_000;
  const cache = new Map<string, Names>();

  async function names(userId: string): Promise<Names | null> {
    const now = deps.clock.now();
    const hit = cache.get(userId);
    if (hit && hit.until > now) return hit;
    cache.delete(userId);
    const stored = await deps.users.findById(userId);
    const user = stored && (await current(stored));
    if (!user) return null;
    const fresh = { username: user.username, displayName: user.displayName, groups: allGroups(user), until: now + ttl };
    cache.set(userId, fresh);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return fresh;
  }

  async function current(user: UserRecord): Promise<UserRecord | null> {
    if (!user.directoryId || !deps.directory) return user;
    try {
      return await deps.directory.refresh(user);
    } catch (err) {
      if (!(err instanceof KeywardError && err.code === 'unavailable')) throw err;
      deps.logger?.warn({ userId: user.id }, 'directory: not answering; the stored copy of the person stands');
      return user;
    }
  }

  return {
    async identify(view, known) {
      if (view.status !== 'authenticated' || !view.userId) return null;
      const n = known === undefined ? await names(view.userId) : known;
      if (!n) return null;
      return {
        id: view.userId,
        username: n.username,
        displayName: n.displayName,
        groups: n.groups,
        aal: view.aal,
        amr: view.amr,
        authenticatedAt: view.authenticatedAt ?? 0,
      };
    },
  };
}
