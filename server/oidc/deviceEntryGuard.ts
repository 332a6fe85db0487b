// Keyward's side of the device sign-in page (<issuer>/device, devicePages.ts): only a person
// signed in to Keyward enters a code there, and every code they send is a guess counted like
// a password or a TOTP code (createAttemptGuard.ts): reserved BEFORE the provider looks it up,
// per session and address, per session, and per address (the second-factor address budget),
// so a burst of entries gets no more lookups than the budget. User codes are short (8 of 20
// letters): the counting, not their length, is what makes guessing someone's code hopeless.
import type { Context } from 'koa';
import { KeywardError } from '../errors.js';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import { requestOrigin } from '../http/sessionAccess.js';
import type { PageLook } from '../http/pages/serverPage.js';
import type { SessionView } from '../session/sessionState.js';
import { sessionLevel } from './authLevel.js';
import { deviceLimitedPage } from './devicePages.js';
import type { KeywardRequest } from './requestScope.js';

export interface DeviceEntryGuardDeps {
  prefix: string;
  issuer: string;
  signInUrl: string;
  guard: AttemptGuard;
  look: PageLook;
}

type DeviceEntry = NonNullable<KeywardRequest['deviceEntry']>;
/** Serves the request through the provider with this path and query (the mount's delegate). */
export type Delegate = (url: string, entry: DeviceEntry) => Promise<void>;

export function deviceEntryGuard(deps: DeviceEntryGuardDeps) {
  const path = `${deps.prefix}/device`;
  return {
    handles: (ctx: Context) => ctx.path === path,

    async serve(ctx: Context, side: { view: SessionView; sessionHandle: string | null }, delegate: Delegate): Promise<void> {
      const entry: DeviceEntry = {};
      const code = ctx.method === 'GET' && typeof ctx.query['user_code'] === 'string' ? ctx.query['user_code'] : undefined;
      if (sessionLevel(side.view) === 0 || !side.sessionHandle) {
        // Sign in first, then back to the page (with the code of verification_uri_complete).
        const back = `${deps.issuer}/device${code ? `?user_code=${encodeURIComponent(code)}` : ''}`;
        ctx.status = 303;
        ctx.redirect(`${deps.signInUrl}?rd=${encodeURIComponent(back)}`);
        return;
      }
      if (ctx.method !== 'POST') {
        // verification_uri_complete: the code is filled in and the person presses Continue
        // (the provider would submit it with a script, which Keyward's pages do not run).
        if (code !== undefined) entry.prefill = code.slice(0, 32);
        const lang = typeof ctx.query['lang'] === 'string' ? `?lang=${encodeURIComponent(ctx.query['lang'])}` : '';
        return delegate(`${path}${lang}`, entry);
      }
      const { userAgent, requestId } = requestOrigin(ctx);
      let held;
      try {
        held = await deps.guard.reserve('second', `device-code:${side.sessionHandle}`, { ip: ctx.ip, device: null, request: { userAgent, requestId } });
      } catch (err) {
        if (!(err instanceof KeywardError) || err.code !== 'too_many_attempts') throw err;
        const seconds = Number(err.headers?.['Retry-After'] ?? 60);
        ctx.set('Retry-After', String(seconds));
        ctx.status = 429;
        ctx.type = 'html';
        ctx.body = deviceLimitedPage(ctx, deps.look, seconds);
        return;
      }
      try {
        await delegate(ctx.originalUrl, entry);
      } finally {
        // Only a code found live refills the session's budget; an entry never looked up (a
        // stale form, an interrupted flow) just gives its attempt back: were it a success, one
        // stale form after every four wrong codes would keep the budget from ever running out.
        await (entry.wrong ? deps.guard.fail(held) : entry.found ? deps.guard.succeed(held) : deps.guard.giveBack(held));
      }
    },
  };
}
