import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import type { UserStore } from '../../storage/port.js';
import type { AdminService } from '../../admin/createAdminService.js';
import type { SessionAccess } from '../sessionAccess.js';
import { requestOrigin } from '../sessionAccess.js';
import { validate } from '../validate.js';
import type { InvitationService } from '../../access/createInvitationService.js';
import { GROUP_PATTERN } from '../../access/linkTokens.js';
import { displayName, email, username } from '../schemas.js';

const auditQuery = z.object({
  userId: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(64).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const groups = z.array(z.string().regex(GROUP_PATTERN, 'group names are 1 to 64 letters, digits or . _ : @ -')).max(100);

// A cursor is the last normalized name of the page before, opaque to the caller: any cursor is
// just a place in the alphabet, so a forged one shows no one a listing would not.
const toCursor = (name: string) => Buffer.from(name, 'utf8').toString('base64url');
const fromCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** Query, path and body schemas, as validated here and described in /api/openapi.json. */
export const adminSchemas = {
  usersQuery: z.object({
    query: z.string().max(64).default('').meta({ description: 'Usernames that start with this (compared as normalized)' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/)
      .optional()
      .meta({ description: 'Where the next page starts: taken from the `Link: <…>; rel="next"` header of the page before' }),
    limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'Users per page' }),
  }),
  auditQuery,
  userId: z.string().min(1).max(64),
  addUser: z.strictObject({ username, displayName: displayName.optional(), groups: groups.optional(), email: email.optional() }),
  invite: z.strictObject({ email: email.optional(), groups: groups.optional(), expiresIn: z.number().int().min(60).max(90 * 86400).optional() }),
  changeGroups: z
    .strictObject({ add: groups.default([]), remove: groups.default([]) })
    .refine((b) => !b.add.some((g) => b.remove.includes(g)), 'a group cannot be both added and removed')
    .meta({ description: 'Groups to add and groups to remove; a group may not be in both.' }),
};

/**
 * Every admin route: an administrator at aal 2. Changes (and the audit trail) also need a
 * second factor within STEP_UP_MAX_AGE; finding users does not, so the page opens without a tap.
 */
export function adminRoutes(deps: { admin: AdminService; access: SessionAccess; users: Pick<UserStore, 'findById'>; invitations: InvitationService }): Router {
  const { admin, access } = deps;
  const router = new Router({ prefix: '/admin' });

  router.use(async (ctx: Context, next) => {
    const { userId } = access.requireUser(ctx);
    const me = await deps.users.findById(userId);
    if (!me || !admin.isAdmin(me)) throw new KeywardError('forbidden', 'Administrators only.');
    const listing = ctx.method === 'GET' && ctx.path.endsWith('/admin/users');
    if (listing && access.requireUser(ctx).aal < 2) throw new KeywardError('mfa_required');
    if (!listing) await access.requireStepUp(ctx);
    ctx.state['adminId'] = userId;
    await next();
  });
  const actor = (ctx: Context) => ({ userId: String(ctx.state['adminId']), ...requestOrigin(ctx) });
  const id = (ctx: Context) => validate(adminSchemas.userId, ctx.params['id']);

  router.get('/users', async (ctx) => {
    const { query, cursor, limit } = validate(adminSchemas.usersQuery, ctx.query);
    const page = await admin.listUsers(query, { limit, ...(cursor !== undefined && { after: fromCursor(cursor) }) });
    ctx.set('Cache-Control', 'no-store');
    // The body stays the plain list it always was; the next page is named as RFC 8288 names it.
    if (page.next !== null) ctx.set('Link', `</api/admin/users?${new URLSearchParams({ query, limit: String(limit), cursor: toCursor(page.next) })}>; rel="next"`);
    ctx.body = page.users;
  });

  router.post('/users/:id/reset-mfa', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await admin.resetMfa(actor(ctx), id(ctx));
  });

  router.post('/users/:id/unlock', async (ctx) => {
    await admin.unlock(actor(ctx), id(ctx));
    ctx.status = 204;
  });

  router.post('/users/:id/sessions/revoke', async (ctx) => {
    ctx.body = { revoked: await admin.revokeSessions(actor(ctx), id(ctx)) };
  });

  router.post('/users', async (ctx) => {
    const body = validate(adminSchemas.addUser, ctx.request.body);
    const { user, url, expiresAt } = await deps.invitations.addUser(actor(ctx), body);
    ctx.status = 201;
    ctx.body = { user: { id: user.id, username: user.username, displayName: user.displayName, groups: user.groups, email: user.email }, url, expiresAt };
  });

  router.post('/invitations', async (ctx) => {
    const body = validate(adminSchemas.invite, ctx.request.body);
    ctx.status = 201;
    ctx.body = await deps.invitations.invite(actor(ctx), body);
  });

  router.patch('/users/:id/groups', async (ctx) => {
    const body = validate(adminSchemas.changeGroups, ctx.request.body);
    ctx.body = { groups: await admin.changeGroups(actor(ctx), id(ctx), body.add, body.remove) };
  });

  router.get('/audit', async (ctx) => {
    const q = validate(auditQuery, ctx.query);
    const events = await admin.queryAudit(q);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      next: events.length === q.limit ? events[events.length - 1]!.at : null,
    };
  });

  return router;
}
