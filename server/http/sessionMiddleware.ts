// Sessions live in the database (any instance can serve any request; sign-out and admin
// revocation really end them). The cookie holds only a random id; the store keys on its
// SHA-256, so a database dump holds no usable session.
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import createSession from 'koa-session';
import type { Clock, Random } from '../clock.js';
import type { SessionStore } from '../storage/port.js';
import type { SessionData } from '../session/sessionState.js';

export interface SessionCookieOptions {
  store: SessionStore;
  clock: Clock;
  random: Random;
  secure: boolean;
  maxAgeSeconds: number;
  /** COOKIE_DOMAIN: share the cookie with subdomains (one Keyward for *.example.com). */
  domain?: string | undefined;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

export function cookieName(secure: boolean, domain?: string): string {
  // __Host- pins the cookie to this host and path / and demands Secure; a cookie shared
  // with subdomains carries a Domain, which __Host- forbids, so it can only be __Secure-.
  if (!secure) return 'keyward';
  return domain ? '__Secure-keyward' : '__Host-keyward';
}

export function sessionMiddleware(app: Koa, opts: SessionCookieOptions): Middleware {
  const { store, clock } = opts;
  const session = createSession(
    {
      key: cookieName(opts.secure, opts.domain),
      ...(opts.domain && { domain: opts.domain }),
      maxAge: opts.maxAgeSeconds * 1000,
      httpOnly: true,
      signed: true,
      sameSite: 'lax',
      secure: opts.secure,
      rolling: false,
      renew: true,
      genid: () => opts.random.bytes(32).toString('base64url'),
      store: {
        async get(key: string, _maxAge: unknown, extra?: { ctx?: Context }) {
          const r = await store.get(hashId(key), clock.now());
          // whoami and session tokens report (and never outlive) the stored session's expiry.
          if (r && extra?.ctx) extra.ctx.state.sessionExpiresAt = r.expiresAt;
          return r?.data ?? null;
        },
        async set(key: string, sess: Record<string, unknown>, maxAge: number, extra?: { ctx?: Context }) {
          // koa-session saves again at the end of a request whose session was regenerate()d,
          // because it compares with the data as loaded: the same id and contents, written
          // moments earlier by this request. One write per privilege change is enough.
          const { _expire, _maxAge, ...contents } = sess;
          const json = JSON.stringify(contents);
          const state = extra?.ctx?.state;
          if (state?.sessionWritten?.key === key && state.sessionWritten.json === json) return;
          const userId = typeof sess['userId'] === 'string' ? sess['userId'] : null;
          await store.set({ idHash: hashId(key), userId, data: sess, expiresAt: clock.now() + maxAge });
          if (state) state.sessionWritten = { key, json };
        },
        async destroy(key: string) {
          await store.destroy(hashId(key));
        },
      },
    },
    app,
  ) as Middleware;
  if (!opts.secure) return session;
  return (ctx, next) => {
    // COOKIE_SECURE says TLS ends before us (at a proxy). Without this, the cookies library
    // refuses to send a Secure cookie over what looks to it like plain HTTP.
    ctx.cookies.secure = true;
    return session(ctx, next);
  };
}

const INTERNAL = (k: string) => k.startsWith('_') || k === 'isNew';

/**
 * Replaces the session's contents and issues a new session id (the old one is destroyed):
 * called at every privilege change, so a session id seen before sign-in is worthless after.
 */
export async function establishSession(ctx: Context, data: SessionData): Promise<void> {
  const session = ctx.session;
  if (!session) throw new Error('session middleware missing');
  const bag = session as unknown as Record<string, unknown>;
  for (const k of Object.keys(bag)) if (!INTERNAL(k)) delete bag[k];
  Object.assign(bag, data);
  await session.regenerate();
}

export function endSession(ctx: Context): void {
  ctx.session = null;
}
