// Security events, appended with who, from where and which request. The detail a client
// never sees (which check failed) is kept here and in the log.
import type { Logger } from 'pino';
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import type { AuditEvent, AuditStore } from '../storage/port.js';
import type { AuditEventKind } from './auditEventKinds.js';

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditLog {
  record(
    type: AuditEventKind,
    outcome: AuditEvent['outcome'],
    who: RequestOrigin & { userId: string | null },
    details?: Record<string, unknown>,
  ): Promise<void>;
}

export type AuditListener = (e: AuditEvent) => Promise<void>;

/** `listeners` hear every stored event (notices are derived from them); their failures are logged, never thrown. */
export function createAuditLog(deps: { store: AuditStore; clock: Clock; random: Random; logger: Logger; listeners?: AuditListener[] }): AuditLog {
  return {
    async record(type, outcome, who, details = {}) {
      const event: AuditEvent = {
        id: newId(deps.random),
        at: deps.clock.now(),
        type,
        outcome,
        userId: who.userId,
        ip: who.ip,
        userAgent: who.userAgent ? who.userAgent.slice(0, 512) : null,
        requestId: who.requestId,
        details,
      };
      deps.logger.info({ audit: { ...event, at: undefined } }, `audit ${type} ${outcome}`);
      await deps.store.append(event);
      for (const listener of deps.listeners ?? []) {
        await listener(event).catch((err: unknown) => deps.logger.error({ err, type }, 'audit listener failed'));
      }
    },
  };
}
