import type { Context } from 'koa';
import type { Random } from '../clock.js';

/**
 * The session's ceremony binding, created on first need. Challenges carry it, so a
 * challenge issued to one session cannot be answered from another. establishSession()
 * drops it, so every privilege change also voids open challenges. A visitor's session is
 * stored (and its cookie set) only now that it holds one.
 */
export function ceremonyBinding(ctx: Context, random: Random): string {
  const session = ctx.session;
  if (!session) throw new Error('session middleware missing');
  const existing = session.data.binding;
  if (existing) return existing;
  const binding = random.bytes(16).toString('base64url');
  session.update({ binding });
  return binding;
}
