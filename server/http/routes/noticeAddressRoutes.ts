import Router from '@koa/router';
import { z } from 'zod';
import type { AuditLog } from '../../audit/createAuditLog.js';
import { KeywardError } from '../../errors.js';
import type { NoticeAddressService } from '../../notices/createNoticeAddressService.js';
import type { UserStore } from '../../storage/port.js';
import { requestOrigin, type SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

/** Bodies, as validated here and described in /api/openapi.json. */
export const noticeAddressBodies = {
  set: z.strictObject({ email: z.email().max(254) }),
  confirm: z.strictObject({ token: z.string().min(20).max(128) }),
};

/**
 * The address security notices go to. Setting or removing it needs a fresh second factor:
 * a stolen session must not be able to silence or redirect the notices that would tell the
 * owner. Confirming needs only the link's token (it may be opened on another device).
 */
export function noticeAddressRoutes(deps: { addresses: NoticeAddressService; access: SessionAccess; audit: AuditLog; users: Pick<UserStore, 'findById'> }): Router {
  const { addresses, access, audit } = deps;
  const router = new Router({ prefix: '/me/email' });

  router.get('/', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await addresses.view(userId);
  });

  router.post('/', async (ctx) => {
    const { email } = validate(noticeAddressBodies.set, ctx.request.body);
    const { userId } = await access.requireStepUp(ctx);
    const user = await deps.users.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    await addresses.request(user, email);
    await audit.record('notice_address.requested', 'info', { userId, ...requestOrigin(ctx) });
    ctx.status = 202;
    ctx.body = await addresses.view(userId);
  });

  router.post('/confirm', async (ctx) => {
    const { token } = validate(noticeAddressBodies.confirm, ctx.request.body);
    const { userId, address } = await addresses.confirm(token);
    await audit.record('notice_address.confirmed', 'success', { userId, ...requestOrigin(ctx) });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { address, confirmed: true };
  });

  router.delete('/', async (ctx) => {
    const { userId } = await access.requireStepUp(ctx);
    await addresses.remove(userId);
    await audit.record('notice_address.removed', 'success', { userId, ...requestOrigin(ctx) });
    ctx.status = 204;
  });

  return router;
}
