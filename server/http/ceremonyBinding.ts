import type { Context } from 'koa';
import type { Random } from '../clock.js';

/**
 * The session's ceremony binding, created on first need. Challenges carry it, so a
 * challenge issued to one session cannot be answered from another. establishSession()
 * replaces the session data, so every privilege change also voids open challenges.
 */
export function ceremonyBinding(ctx: Context, random: Random): string {
  const session = ctx.session;
  if (!session) throw new Error('session middleware missing');
  session.binding ??= random.bytes(16).toString('base64url');
  return session.binding;
}
