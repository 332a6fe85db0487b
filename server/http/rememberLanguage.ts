// The person's page language, stored with the account so their mails are written in it
// (server/mail/). Chosen as the pages choose it (the keyward_lang cookie they write, else the
// browser's Accept-Language; neither naming en or de: nothing stored), on API calls of a
// signed-in session. Cheap: the session notes the language it last stored, so a write happens
// when the choice changes or once per session, and otherwise only at the session's minutely
// touch (a conditional update that writes nothing when the account already has it, which
// catches a choice made meanwhile on another device). Never on the forward-auth checks.
import type { Context, Middleware } from 'koa';
import type { Clock } from '../clock.js';
import type { UserStore } from '../storage/port.js';
import { needsTouch } from '../session/sessionLifetime.js';
import { chosenLanguage } from './pages/pageLanguage.js';
import type { SessionAccess } from './sessionAccess.js';

/** Every page view of every protected app: no language work there. */
const FORWARD_AUTH = new Set(['/api/authz', '/api/whoami']);

export function rememberLanguage(deps: { users: Pick<UserStore, 'setLanguage'>; access: Pick<SessionAccess, 'view'>; clock: Clock }): Middleware {
  /** Stores the language if due; answers what it looked at, so the request does it once. */
  async function store(ctx: Context, done: string | null): Promise<string | null> {
    const session = ctx.session;
    const language = chosenLanguage(ctx);
    if (!session || !language) return null;
    const v = deps.access.view(ctx);
    if (v.status !== 'authenticated' || !v.userId) return null;
    const checked = `${v.userId}/${language}`;
    if (checked === done) return checked;
    const record = session.record;
    const stale = !record || needsTouch(record.lastSeenAt, deps.clock.now());
    if (session.data.language === language && !stale) return checked;
    await deps.users.setLanguage(v.userId, language);
    if (session.data.language !== language) session.update({ language });
    return checked;
  }

  return async (ctx, next) => {
    if (FORWARD_AUTH.has(ctx.path)) return next();
    // Before the route, so a mail it sends is already in this language; after it, for the
    // request that signed the person in.
    const done = await store(ctx, null);
    await next();
    await store(ctx, done);
  };
}
