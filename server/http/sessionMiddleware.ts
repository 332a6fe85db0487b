// Keyward's session layer. Sessions live in the database (any instance serves any request;
// sign-out and revocation really end them); the cookie holds a random id and its HMAC
// (sessionCookie.ts); the store keys on the id's SHA-256, so a database dump holds no usable
// session. Per request: one MAC check, one hash, one read by id; a write only when the data
// changed, or to note the request at most once a minute (sessionLifetime.ts). Writes of an
// existing session are conditional updates, never upserts: an ended session stays ended.
// A visitor gets no row and no cookie until the session holds a user or a ceremony.
import type { Context, Middleware } from 'koa';
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { SessionRecord, SessionStore } from '../storage/port.js';
import type { SessionData } from '../session/sessionState.js';
import { absoluteEnd, needsTouch, sessionEnd, type LifetimePolicy } from '../session/sessionLifetime.js';
import { cookieName, cookieValues, createCookieSigner, hashSessionId, setCookieHeader, type CookieSettings, type CookieSigner } from './sessionCookie.js';

export { cookieName } from './sessionCookie.js';

export interface SessionCookieOptions {
  store: SessionStore;
  clock: Clock;
  random: Random;
  /** SESSION_SECRETS, newest first. */
  secrets: string[];
  secure: boolean;
  lifetime: LifetimePolicy;
  /** COOKIE_DOMAIN: share the cookie with subdomains (one Keyward for *.example.com). */
  domain?: string | undefined;
}

export interface SessionLayer extends SessionCookieOptions {
  signer: CookieSigner;
  cookie: CookieSettings;
  /** Cookie values whose MAC was valid, with their id's hash (see verifiedCookie). */
  verified: Map<string, VerifiedCookie>;
}

interface VerifiedCookie {
  id: string;
  idHash: string;
  stale: boolean;
}

const VERIFIED_ENTRIES = 10_000;

/** A session as a request found it: its id (from the cookie), the stored record, and whether the MAC used an older key. */
export interface LoadedSession {
  id: string;
  record: SessionRecord;
  staleMac: boolean;
}

export type SessionRead = (idHash: string, now: number) => Promise<SessionRecord | null>;

/** The request's session: what it holds, and the changes a route may make to it. */
export class RequestSession {
  private current: LoadedSession | null;
  private contents: SessionData;
  private dirty = false;
  private clearCookie: boolean;

  constructor(
    private readonly layer: SessionLayer,
    private readonly ctx: Context,
    loaded: LoadedSession | null,
    cookieSent: boolean,
  ) {
    this.current = loaded;
    this.contents = (loaded?.record.data ?? {}) as SessionData;
    // A cookie that names no live session is taken back from the browser.
    this.clearCookie = cookieSent && !loaded;
  }

  get data(): Readonly<SessionData> {
    return this.contents;
  }

  /** The stored session behind this request (null for a visitor without one). */
  get record(): Readonly<SessionRecord> | null {
    return this.current?.record ?? null;
  }

  /** Adds to the data in place; stored at the end of the request (the first time, created then). */
  update(patch: Partial<SessionData>): void {
    this.contents = { ...this.contents, ...patch };
    this.dirty = true;
  }

  /** New id, new data, the old session destroyed (see establishSession). */
  async establish(data: SessionData, continues: boolean): Promise<void> {
    const { store, clock } = this.layer;
    const now = clock.now();
    const old = this.current;
    // A privilege change voids open ceremonies: their challenges were bound to the old binding.
    const { binding: _binding, ...fresh } = data;
    const next = this.newRecord(fresh, now, continues && old ? old.record : null);
    if (continues) {
      if (!old || !(await store.rotate(old.record.idHash, next.record, now))) {
        await this.end();
        throw new KeywardError('unauthenticated', 'This session has ended: sign in again.');
      }
    } else {
      if (old) await store.destroy(old.record.idHash);
      // 256 random bits: a collision with a live id is not a case to handle.
      await store.create(next.record);
    }
    this.adopt(next, fresh);
  }

  async end(): Promise<void> {
    if (this.current) await this.layer.store.destroy(this.current.record.idHash);
    this.current = null;
    this.contents = {};
    this.dirty = false;
    this.ctx.state.sessionExpiresAt = undefined;
    this.writeCookie(null);
  }

  /** End of request: store what changed (conditionally), or note the request once a minute. */
  async commit(): Promise<void> {
    const { store, clock, lifetime } = this.layer;
    const now = clock.now();
    const cur = this.current;
    if (!this.dirty) {
      const cookie = await settleUnchanged(this.layer, cur, this.clearCookie, now, this.ctx.ip || null);
      if (cookie === 'clear') this.writeCookie(null);
      else if (cookie === 'renew') this.writeCookie(cur);
      return;
    }
    if (!cur) {
      const next = this.newRecord(this.contents, now, null);
      await store.create(next.record);
      this.adopt(next, this.contents);
      return;
    }
    const expiresAt = sessionEnd(this.contents, cur.record.createdAt, now, lifetime);
    const written = await store.update(cur.record.idHash, { data: this.contents as Record<string, unknown>, lastSeenAt: now, expiresAt, ip: this.ctx.ip || null }, now);
    if (!written) return this.writeCookie(null);
    if (cur.staleMac) this.writeCookie(cur);
  }

  private newRecord(data: SessionData, now: number, carriedOn: SessionRecord | null) {
    const { random, lifetime } = this.layer;
    const id = random.bytes(32).toString('base64url');
    const createdAt = carriedOn?.createdAt ?? now;
    const record: SessionRecord = {
      idHash: hashSessionId(id),
      // The same handle across a second factor: the person's list shows one device, not two.
      publicId: carriedOn?.publicId ?? newId(random),
      userId: data.userId ?? null,
      data: data as Record<string, unknown>,
      createdAt,
      lastSeenAt: now,
      expiresAt: sessionEnd(data, createdAt, now, lifetime),
      ip: this.ctx.ip || null,
      userAgent: this.ctx.get('User-Agent').slice(0, 512) || null,
      aal: data.aal ?? 0,
    };
    return { id, record, staleMac: false };
  }

  private adopt(next: LoadedSession, data: SessionData) {
    this.current = next;
    this.contents = data;
    this.dirty = false;
    this.ctx.state.sessionExpiresAt = next.record.expiresAt;
    this.writeCookie(next);
  }

  /** Sets (or, with null, clears) the cookie, replacing any this response set before. */
  private writeCookie(session: LoadedSession | null) {
    const value = sessionCookieValue(this.layer, session, this.contents);
    const before = this.ctx.response.get('Set-Cookie') as unknown as string[] | string | undefined;
    const others = (Array.isArray(before) ? before : before ? [before] : []).filter((c) => !c.startsWith(`${this.layer.cookie.name}=`));
    this.ctx.set('Set-Cookie', [...others, value]);
  }
}

/** The session layer's parts, made once: the cookie's name and settings, and its signer with its keys. */
export function createSessionLayer(opts: SessionCookieOptions): SessionLayer {
  return { ...opts, signer: createCookieSigner(opts.secrets), cookie: { name: cookieName(opts.secure, opts.domain), secure: opts.secure, domain: opts.domain }, verified: new Map() };
}

/**
 * The id a cookie value carries when its MAC is valid. A proxy sends the same cookie on every
 * page view, so a valid value is remembered (bounded, oldest out) and its MAC and hash are not
 * computed again: what it says is fixed by the secrets alone. Whether the session still lives
 * is read from the store on every request all the same. Invalid values are never remembered.
 */
function verifiedCookie(layer: SessionLayer, value: string): VerifiedCookie | null {
  const hit = layer.verified.get(value);
  if (hit) return hit;
  const valid = layer.signer.verify(value);
  if (!valid) return null;
  const entry = { id: valid.id, idHash: hashSessionId(valid.id), stale: valid.stale };
  if (layer.verified.size >= VERIFIED_ENTRIES) layer.verified.delete(layer.verified.keys().next().value!);
  layer.verified.set(value, entry);
  return entry;
}

/**
 * The live session the cookie values name (a shadowing cookie from a sibling domain may come
 * first), read by `read`: the store's plain read, or the one that also brings the user's names.
 */
export async function loadSession(layer: SessionLayer, values: string[], now: number, read: SessionRead = layer.store.get): Promise<LoadedSession | null> {
  for (const value of values) {
    const valid = verifiedCookie(layer, value);
    if (!valid) continue;
    const record = await read(valid.idHash, now);
    // Recomputed too, so a SESSION_MAX_AGE lowered since the session began applies at once.
    if (record && sessionEnd(record.data, record.createdAt, record.lastSeenAt, layer.lifetime) > now) {
      return { id: valid.id, record, staleMac: valid.stale };
    }
  }
  return null;
}

/**
 * The end of a request that changed nothing in its session: the sign of life at most once a
 * minute (a conditional update: an ended session stays ended), and what the cookie needs:
 * 'clear' (it names no live session), 'renew' (signed with an older key), or null.
 */
export async function settleUnchanged(layer: SessionLayer, cur: LoadedSession | null, cookieSent: boolean, now: number, ip: string | null): Promise<'clear' | 'renew' | null> {
  if (!cur) return cookieSent ? 'clear' : null;
  if (needsTouch(cur.record.lastSeenAt, now)) {
    const expiresAt = sessionEnd(cur.record.data, cur.record.createdAt, now, layer.lifetime);
    if (!(await layer.store.update(cur.record.idHash, { lastSeenAt: now, expiresAt, ip }, now))) return 'clear';
  }
  return cur.staleMac ? 'renew' : null;
}

/** The Set-Cookie value for `session` holding `data`, or the one that clears the cookie. */
export function sessionCookieValue(layer: SessionLayer, session: LoadedSession | null, data: SessionData = session?.record.data ?? {}): string {
  const { cookie, signer, lifetime } = layer;
  return session
    ? setCookieHeader(cookie, signer.sign(session.id), absoluteEnd(data, session.record.createdAt, lifetime))
    : setCookieHeader(cookie, '', null);
}

export function sessionMiddleware(given: SessionCookieOptions | SessionLayer): Middleware {
  const layer = 'signer' in given ? given : createSessionLayer(given);
  return async (ctx, next) => {
    const values = cookieValues(ctx.get('Cookie'), layer.cookie.name);
    const loaded = values.length ? await loadSession(layer, values, layer.clock.now()) : null;
    const session = new RequestSession(layer, ctx, loaded, values.length > 0);
    ctx.session = session;
    if (loaded) ctx.state.sessionExpiresAt = loaded.record.expiresAt;
    await next();
    await session.commit();
  };
}

function sessionOf(ctx: Context): RequestSession {
  if (!ctx.session) throw new Error('session middleware missing');
  return ctx.session;
}

/**
 * Replaces the session's contents and issues a new session id (the old one is destroyed):
 * called at every privilege change, so a session id seen before sign-in is worthless after.
 * `continues`: the new session carries the old one on (a second factor after the first), so
 * it exists only if the old one still does: one ended meanwhile is not brought back.
 */
export async function establishSession(ctx: Context, data: SessionData, opts: { continues?: boolean } = {}): Promise<void> {
  await sessionOf(ctx).establish(data, opts.continues ?? false);
}

export async function endSession(ctx: Context): Promise<void> {
  await sessionOf(ctx).end();
}
