// Denied forward-auth requests go to the audit trail, but a busy app (every asset of a page,
// every poll) must not flood it: at most one event per person (or address) and domain per
// window, counted here in the process. Later denials in the window are only counted and
// reported with the next event.
import type { Clock } from '../clock.js';
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';

export interface DeniedAccess {
  userId: string | null;
  username: string | null;
  host: string;
  path: string;
  method: string;
  rule: number | null;
}

export function createDeniedAccessAudit(deps: { audit: AuditLog; clock: Clock; windowMs?: number; maxKeys?: number }) {
  const windowMs = deps.windowMs ?? 60_000;
  const maxKeys = deps.maxKeys ?? 10_000;
  const windows = new Map<string, { until: number; suppressed: number }>();

  return async (denied: DeniedAccess, origin: RequestOrigin): Promise<void> => {
    const now = deps.clock.now();
    const key = `${denied.userId ?? `ip:${origin.ip}`}|${denied.host}`;
    const open = windows.get(key);
    if (open && open.until > now) {
      open.suppressed += 1;
      return;
    }
    windows.delete(key);
    windows.set(key, { until: now + windowMs, suppressed: 0 });
    // Oldest first out: Map keeps insertion order.
    if (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
    const { userId, ...details } = denied;
    await deps.audit.record('access.denied', 'failure', { ...origin, userId }, { ...details, alsoDeniedInLastWindow: open?.suppressed ?? 0 });
  };
}

export type DeniedAccessAudit = ReturnType<typeof createDeniedAccessAudit>;
