import Router from '@koa/router';
import { z } from 'zod';
import type { AuditStore, NoticeStore } from '../../storage/port.js';
import type { Clock } from '../../clock.js';
import type { SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

/** Query and body schemas, as validated here and described in /api/openapi.json. */
export const meSchemas = {
  activityQuery: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    before: z.coerce.number().int().positive().optional(),
    // With `before`: the id of the last event shown, so the next page starts right after it.
    beforeId: z.string().min(1).max(64).optional(),
  }),
  noticesRead: z.strictObject({ ids: z.array(z.string().min(1).max(64)).max(100).optional() }),
};

/** The signed-in person's own security activity and notices. */
const FACTORS = new Set(['webauthn', 'totp', 'recovery_code']);

/**
 * The part of an event's details the person may see: which factor, whether it confirmed a
 * change, and whether new recovery codes replaced a set (not the first set, given with a factor).
 */
function activityDetail(type: string, details: Record<string, unknown>): { factor: string | null; stepUp: boolean; replaced: boolean } {
  const factor = details['factor'];
  return {
    factor: typeof factor === 'string' && FACTORS.has(factor) ? factor : null,
    stepUp: details['stepUp'] === true,
    replaced: type === 'recovery_codes.issued' && details['reason'] === 'regenerated',
  };
}

export function meRoutes(deps: { access: SessionAccess; audit: AuditStore; notices: NoticeStore; clock: Clock }): Router {
  const router = new Router({ prefix: '/me' });

  router.get('/activity', async (ctx) => {
    const { userId } = deps.access.requireUser(ctx);
    const q = validate(meSchemas.activityQuery, ctx.query);
    const events = await deps.audit.listForUser(userId, { limit: q.limit, ...(q.before !== undefined && { before: q.before, ...(q.beforeId !== undefined && { beforeId: q.beforeId }) }) });
    const last = events.length === q.limit ? events[events.length - 1]! : null;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      events: events.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), type: e.type, outcome: e.outcome, ip: e.ip, userAgent: e.userAgent, ...activityDetail(e.type, e.details) })),
      // Pass as ?before=<next>&beforeId=<nextId> for the next page: the time alone would skip
      // the other events of the last one's millisecond.
      next: last?.at ?? null,
      nextId: last?.id ?? null,
    };
  });

  router.get('/notices', async (ctx) => {
    const { userId } = deps.access.requireUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = (await deps.notices.listUnread(userId, 50)).map((n) => ({ id: n.id, type: n.type, message: n.message, createdAt: new Date(n.createdAt).toISOString() }));
  });

  router.post('/notices/read', async (ctx) => {
    const { ids } = validate(meSchemas.noticesRead, ctx.request.body);
    const { userId } = deps.access.requireUser(ctx);
    await deps.notices.markRead(userId, ids ?? null, deps.clock.now());
    ctx.status = 204;
  });

  return router;
}
