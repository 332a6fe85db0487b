// A Keyward session that simply expires (idle or absolute end) is removed by no request: it
// is found afterwards by what was made in it. Grants carry their Keyward session's handle;
// one whose owner has no live session with that handle any more belongs to an ended session,
// and is ended (endOidcWithSession.ts endOidcOf): the grants let go of it, keeping their
// tokens, and logout tokens are owed to the clients. Run from the background timer on every
// instance, once a minute (its cost: one read of the tagged grants, one session list per
// person holding one): ending twice is harmless (the second finds nothing, or the logouts
// owed are queued once).
import type { Clock } from '../clock.js';
import type { OidcStore, SessionStore } from '../storage/port.js';
import type { EndOidc } from './endOidcWithSession.js';

export function endExpiredSessions(deps: { oidc: Pick<OidcStore, 'listTagged'>; sessions: Pick<SessionStore, 'listForUser'>; clock: Clock; end: EndOidc }) {
  return async (): Promise<void> => {
    const byUser = new Map<string, Set<string>>();
    for (const g of await deps.oidc.listTagged('Grant')) {
      const accountId = g.payload['accountId'];
      if (!g.keywardSession || typeof accountId !== 'string') continue;
      let handles = byUser.get(accountId);
      if (!handles) byUser.set(accountId, (handles = new Set()));
      handles.add(g.keywardSession);
    }
    const now = deps.clock.now();
    for (const [userId, handles] of byUser) {
      const live = new Set((await deps.sessions.listForUser(userId, now)).map((s) => s.publicId));
      const ended = [...handles].filter((h) => !live.has(h));
      if (ended.length) await deps.end(userId, ended, 'expiry');
    }
  };
}
