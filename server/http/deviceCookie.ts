// OWASP's "device cookies" (Slow Down Online Guessing Attacks with Device Cookies): after a
// full sign-in the browser gets a signed, long-lived cookie naming the account. A guess that
// carries a valid one for the account it is about is counted against that device's own
// small budget instead of the account-wide bucket, so strangers who fill that bucket do not
// lock the owner out; the device budget backs off like any other (a stolen cookie buys
// its holder a few guesses, then growing back-offs). Signed with SESSION_SECRETS (Koa's
// keys, rotation included); the issue time in the value bounds its life on the server too.
import type { Context } from 'koa';
import type { Clock, Random } from '../clock.js';
import type { Guesser } from '../guard/createAttemptGuard.js';
import type { UserStore } from '../storage/port.js';

export interface DeviceCookieOptions {
  clock: Clock;
  random: Random;
  users: Pick<UserStore, 'findById'>;
  secure: boolean;
  maxAgeSeconds: number;
}

export function createDeviceCookies(opts: DeviceCookieOptions) {
  // __Host-: this host only, path /, Secure; the device cookie is never shared with subdomains.
  const name = opts.secure ? '__Host-keyward-device' : 'keyward-device';
  const maxAgeMs = opts.maxAgeSeconds * 1000;

  function read(ctx: Context): Guesser['device'] {
    const raw = ctx.cookies.get(name, { signed: true });
    const [account, id, issued] = raw?.split('.') ?? [];
    if (!account || !id || !issued) return null;
    const issuedAt = parseInt(issued, 36);
    if (!(issuedAt <= opts.clock.now() && opts.clock.now() - issuedAt < maxAgeMs)) return null;
    return { account: Buffer.from(account, 'base64url').toString('utf8'), id };
  }

  return {
    /** Who is guessing in this request: its address and, when valid, its device cookie. */
    guesser: (ctx: Context): Guesser => ({ ip: ctx.ip, device: read(ctx) }),

    /** A full sign-in happened in this request: (re)issue the device cookie for its account. */
    async remember(ctx: Context, userId: string): Promise<void> {
      const user = await opts.users.findById(userId);
      if (!user) return;
      const prior = read(ctx);
      // The same device keeps its id (and budget) across sign-ins to the same account.
      const id = prior?.account === user.usernameNormalized ? prior.id : opts.random.bytes(16).toString('base64url');
      const value = [Buffer.from(user.usernameNormalized).toString('base64url'), id, opts.clock.now().toString(36)].join('.');
      ctx.cookies.set(name, value, { signed: true, httpOnly: true, sameSite: 'strict', secure: opts.secure, path: '/', maxAge: maxAgeMs, overwrite: true });
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;
