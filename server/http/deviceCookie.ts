// OWASP's "device cookies" (Slow Down Online Guessing Attacks with Device Cookies): after a
// full sign-in the browser gets a signed, long-lived cookie naming the account. A guess that
// carries a valid one for the account it is about is counted against that device's own
// small budget instead of the account-wide bucket, so strangers who fill that bucket do not
// lock the owner out; the device budget backs off like any other (a stolen cookie buys
// its holder a few guesses, then growing back-offs). Signed with an HMAC under SESSION_SECRETS
// (the first signs, all verify, so rotation keeps devices known); the issue time in the value
// bounds its life on the server too.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Clock, Random } from '../clock.js';
import type { Guesser } from '../guard/createAttemptGuard.js';
import type { UserRecord, UserStore } from '../storage/port.js';
import { requestOrigin } from './sessionAccess.js';

export interface DeviceCookieOptions {
  clock: Clock;
  random: Random;
  users: Pick<UserStore, 'findById'>;
  secure: boolean;
  maxAgeSeconds: number;
  /** SESSION_SECRETS, newest first. */
  secrets: string[];
}

export function createDeviceCookies(opts: DeviceCookieOptions) {
  // __Host-: this host only, path /, Secure; the device cookie is never shared with subdomains.
  const name = opts.secure ? '__Host-keyward-device' : 'keyward-device';
  const maxAgeMs = opts.maxAgeSeconds * 1000;
  const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`device:${payload}`).digest();

  /** The payload when the value's MAC verifies under any of the secrets. */
  function unsign(value: string | undefined): string | undefined {
    const dot = value?.lastIndexOf('.') ?? -1;
    if (!value || dot < 0) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    if (given.length !== 32) return undefined;
    return opts.secrets.some((s) => timingSafeEqual(given, mac(s, payload))) ? payload : undefined;
  }

  function read(ctx: Context): Guesser['device'] {
    const raw = unsign(ctx.cookies.get(name));
    const [account, id, issued] = raw?.split('.') ?? [];
    if (!account || !id || !issued) return null;
    const issuedAt = parseInt(issued, 36);
    if (!(issuedAt <= opts.clock.now() && opts.clock.now() - issuedAt < maxAgeMs)) return null;
    return { account: Buffer.from(account, 'base64url').toString('utf8'), id };
  }

  return {
    /** Who is guessing in this request: its address, its device cookie when valid, and the request's own names. */
    guesser(ctx: Context): Guesser {
      const { userAgent, requestId } = requestOrigin(ctx);
      return { ip: ctx.ip, device: read(ctx), request: { userAgent, requestId } };
    },

    /**
     * A full sign-in happened in this request: (re)issue the device cookie for its account.
     * A caller that already read the user in this request passes it instead of the id.
     */
    async remember(ctx: Context, userOrId: string | Pick<UserRecord, 'usernameNormalized'>): Promise<void> {
      const user = typeof userOrId === 'string' ? await opts.users.findById(userOrId) : userOrId;
      if (!user) return;
      const prior = read(ctx);
      // The same device keeps its id (and budget) across sign-ins to the same account.
      const id = prior?.account === user.usernameNormalized ? prior.id : opts.random.bytes(16).toString('base64url');
      const value = [Buffer.from(user.usernameNormalized).toString('base64url'), id, opts.clock.now().toString(36)].join('.');
      // COOKIE_SECURE says TLS ends before us (at a proxy): the cookies library would refuse a
      // Secure cookie over what looks to it like plain HTTP.
      if (opts.secure) ctx.cookies.secure = true;
      const signed = `${value}.${mac(opts.secrets[0]!, value).toString('base64url')}`;
      ctx.cookies.set(name, signed, { signed: false, httpOnly: true, sameSite: 'strict', secure: opts.secure, path: '/', maxAge: maxAgeMs, overwrite: true });
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;
