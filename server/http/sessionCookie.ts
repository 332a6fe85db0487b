// The session cookie: `<id>.<mac>`, a random id and its HMAC-SHA256 under SESSION_SECRETS.
// The MAC lets a forged or guessed value be refused without a database read; the id alone
// is what the store knows (by its SHA-256). Keys: the first signs, every one verifies, so a
// secret can be rotated in by putting it first and retired once its cookies have expired.
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface CookieSettings {
  name: string;
  secure: boolean;
  domain?: string | undefined;
}

export function cookieName(secure: boolean, domain?: string): string {
  // __Host- pins the cookie to this host and path / and demands Secure; a cookie shared
  // with subdomains carries a Domain, which __Host- forbids, so it can only be __Secure-.
  if (!secure) return 'keyward';
  return domain ? '__Secure-keyward' : '__Host-keyward';
}

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('base64url');

const ID = /^[A-Za-z0-9_-]{43}$/;

export function createCookieSigner(secrets: string[]) {
  if (secrets.length === 0) throw new Error('at least one session secret is needed');
  const keys = secrets.map((s) => createSecretKey(Buffer.from(s)));
  const mac = (key: KeyObject, id: string) => createHmac('sha256', key).update(id).digest();

  return {
    sign: (id: string) => `${id}.${mac(keys[0]!, id).toString('base64url')}`,
    /** The id when the value carries a valid MAC, and whether it was made with an older key. */
    verify(value: string): { id: string; stale: boolean } | null {
      const dot = value.indexOf('.');
      const id = value.slice(0, dot);
      if (dot < 0 || !ID.test(id)) return null;
      const given = Buffer.from(value.slice(dot + 1), 'base64url');
      if (given.length !== 32) return null;
      for (let i = 0; i < keys.length; i++) {
        if (timingSafeEqual(given, mac(keys[i]!, id))) return { id, stale: i > 0 };
      }
      return null;
    },
  };
}

export type CookieSigner = ReturnType<typeof createCookieSigner>;

/** Every value the Cookie header gives `name` (a shadowing cookie from a sibling domain may come first). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/** A Set-Cookie value; `expiresAt` null clears the cookie. */
export function setCookieHeader(s: CookieSettings, value: string, expiresAt: number | null): string {
  const parts = [`${s.name}=${value}`, 'Path=/', expiresAt === null ? 'Expires=Thu, 01 Jan 1970 00:00:00 GMT' : `Expires=${new Date(expiresAt).toUTCString()}`, 'HttpOnly', 'SameSite=Lax'];
  if (s.domain) parts.push(`Domain=${s.domain}`);
  if (s.secure) parts.push('Secure');
  return parts.join('; ');
}
