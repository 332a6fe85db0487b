import type { Logger } from 'pino';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { UserStore } from '../storage/port.js';
import type { Lockout } from './createAttemptGuard.js';

/**
 * Audits each new back-off. Only buckets about an existing account name a user; the
 * answer to the client never says which (it is the same 401, then 429, for everyone).
 */
export function reportLockout(deps: { users: Pick<UserStore, 'findByUsername'>; audit: AuditLog; logger: Logger }) {
  return async (l: Lockout): Promise<void> => {
    try {
      const user = l.account ? await deps.users.findByUsername(l.account) : null;
      await deps.audit.record(
        'lockout',
        'info',
        { userId: user?.id ?? null, ip: l.ip, ...l.request },
        { bucket: l.bucket, factor: l.factor, until: new Date(l.until).toISOString(), ...(!user && l.account && { account: l.account }) },
      );
    } catch (err) {
      // Reporting must never turn a refused guess into a different answer.
      deps.logger.error({ err }, 'could not report a lockout');
    }
  };
}
