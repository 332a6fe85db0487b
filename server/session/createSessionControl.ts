// A person's view of where they are signed in, and ending sessions: one, all others, or all
// others because something about the account changed (a factor removed, a new password).
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';
import type { Clock } from '../clock.js';
import type { SessionStore } from '../storage/port.js';

export interface SessionSummary {
  /** The session's public handle (never its cookie value or stored hash). */
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  aal: number;
}

export type RevokeReason = 'revoke_others' | 'factor_removed' | 'recovery_codes_regenerated' | 'password_changed' | 'password_reset';

/** Who asks, and which session they ask from (kept when the others end). */
export interface Asker extends RequestOrigin {
  userId: string;
  idHash: string | null;
  publicId: string | null;
}

export function createSessionControl(deps: { store: SessionStore; audit: AuditLog; clock: Clock }) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    async list(asker: Asker): Promise<SessionSummary[]> {
      const records = await deps.store.listForUser(asker.userId, deps.clock.now());
      return records.map((r) => ({
        id: r.publicId,
        current: r.publicId === asker.publicId,
        createdAt: iso(r.createdAt),
        lastSeenAt: iso(r.lastSeenAt),
        expiresAt: iso(r.expiresAt),
        ip: r.ip,
        userAgent: r.userAgent,
        aal: r.aal,
      }));
    },

    /** Ends one of the person's sessions; false when they have none with this handle. */
    async revoke(asker: Asker, publicId: string): Promise<boolean> {
      const ended = await deps.store.destroyByPublicId(asker.userId, publicId);
      if (ended) await deps.audit.record('session.revoked', 'success', asker, { session: publicId, current: publicId === asker.publicId });
      return ended;
    },

    /** Ends every session of the person but the one asking; returns how many ended. */
    async revokeOthers(asker: Asker, reason: RevokeReason): Promise<number> {
      const revoked = await deps.store.destroyAllForUser(asker.userId, asker.idHash ?? undefined);
      await deps.audit.record('session.revoked_others', 'success', asker, { reason, revoked });
      return revoked;
    },
  };
}

export type SessionControl = ReturnType<typeof createSessionControl>;
