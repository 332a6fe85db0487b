// The path the app will serve, from the request-target the proxy forwards (X-Forwarded-Uri,
// X-Original-URL): rules must judge that path, not the bytes a visitor chose. `/%61dmin`,
// `//admin`, `/x/../admin` and `/admin;x` all reach the app's /admin, so they all read as
// /admin here. What servers resolve differently (an encoded `/`, a backslash, a NUL...) has
// no one reading: it comes back "ambiguous" and is never matched as a path (judgeRequest.ts).
export type AmbiguityReason =
  | 'not_absolute_path'
  | 'backslash'
  | 'encoded_slash'
  | 'encoded_backslash'
  | 'nul'
  | 'invalid_character'
  | 'invalid_percent_encoding'
  | 'fragment'
  | 'dot_segment_after_empty_segment';

export type NormalizedRequestPath =
  | { kind: 'normal'; path: string; query: string }
  /** `path` and `query`: the target split at the first `?`, as sent (for the log only). */
  | { kind: 'ambiguous'; reason: AmbiguityReason; path: string; query: string };

class Ambiguous extends Error {
  constructor(readonly reason: AmbiguityReason) {
    super(reason);
  }
}

const HEX = '0123456789ABCDEF';
const table = (chars: string) => {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
};
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** RFC 3986 unreserved: decoding these never changes what a URI means (§6.2.2.2). */
const UNRESERVED = table(`${ALNUM}-._~`);
/** pchar without `%` (handled apart), plus `/` and `?`: what a path or query holds literally. */
const LITERAL = table(`${ALNUM}-._~!$&'()*+,;=:@/?`);
/** Plain path characters: a path made only of these (and no `//` or dot segment) is already normal. */
const PLAIN_PATH = table(`${ALNUM}-._~!$&'()*+,=:@/`);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

const encoded = (byte: number) => `%${HEX[byte >> 4]}${HEX[byte & 15]}`;

/**
 * One spelling per meaning: unreserved characters decoded, every other byte percent-encoded
 * with upper-case hex (`%7e` → `~`, `%2f` stays ambiguous, ` ` → `%20`, `é` → `%C3%A9`).
 * `inPath`: `/`, `\`, NUL and a `%` not followed by two hex digits have no single reading in
 * a path.
 */
function percentNormalize(text: string, inPath: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) {
        // In a query, a lone `%` is common (`?q=100%`) and only `query` rules read it: a literal `%`.
        if (inPath) throw new Ambiguous('invalid_percent_encoding');
        out += '%25';
        continue;
      }
      const byte = hi * 16 + lo;
      if (inPath && byte === 0x2f) throw new Ambiguous('encoded_slash');
      if (inPath && byte === 0x5c) throw new Ambiguous('encoded_backslash');
      if (inPath && byte === 0) throw new Ambiguous('nul');
      out += byte < 128 && UNRESERVED[byte] ? String.fromCharCode(byte) : encoded(byte);
      i += 2;
    } else if (c === 92 /* \ */) {
      if (inPath) throw new Ambiguous('backslash');
      out += '%5C';
    } else if (c === 0) {
      throw new Ambiguous('nul');
    } else if (c < 0x20 || c === 0x7f) {
      throw new Ambiguous('invalid_character');
    } else if (c === 35 /* # */) {
      // Never part of a request-target: servers disagree on whether it ends the path.
      throw new Ambiguous('fragment');
    } else if (c < 128 && LITERAL[c]) {
      out += text[i];
    } else if (c <= 0xff) {
      // Header values arrive as latin1: one character per byte the client sent.
      out += encoded(c);
    } else {
      const point = text.codePointAt(i)!;
      if (point >= 0xd800 && point <= 0xdfff) throw new Ambiguous('invalid_character'); // a lone surrogate
      out += encodeURIComponent(String.fromCodePoint(point));
      if (point > 0xffff) i++;
    }
  }
  return out;
}

/**
 * Segments resolved as RFC 3986 §5.2.4 removes dot segments, after dropping each segment's
 * `;parameters` (Tomcat, Jetty and Spring serve /admin for /admin;x and /admin/ for
 * /x/..;/admin/) and merging repeated slashes (as nginx and most routers do).
 */
function resolveSegments(path: string): string {
  const segments = path.split('/');
  const kept: string[] = [];
  let previousEmpty = false;
  let trailingSlash = false;
  for (let k = 1; k < segments.length; k++) {
    const raw = segments[k]!;
    const semicolon = raw.indexOf(';');
    const segment = semicolon < 0 ? raw : raw.slice(0, semicolon);
    const last = k === segments.length - 1;
    trailingSlash = last;
    if (segment === '' || segment === '.') {
      previousEmpty = segment === '';
      continue;
    }
    if (segment === '..') {
      // /a//../b is /a/b by RFC 3986 but /b once slashes are merged: no single reading.
      if (previousEmpty && k > 1) throw new Ambiguous('dot_segment_after_empty_segment');
      kept.pop();
      previousEmpty = false;
      continue;
    }
    previousEmpty = false;
    trailingSlash = false;
    kept.push(segment);
  }
  return `/${kept.join('/')}${trailingSlash && kept.length > 0 ? '/' : ''}`;
}

/** True when the path is already normal: plain characters, no `//`, no `.` or `..` segment. */
function isPlainPath(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || !PLAIN_PATH[c]) return false;
    if (c === 47 && path.charCodeAt(i - 1) === 47) return false;
    if (c === 46 && path.charCodeAt(i - 1) === 47) {
      const next = i + 1 < path.length ? path.charCodeAt(i + 1) : 47;
      if (next === 47) return false;
      if (next === 46 && (i + 2 >= path.length || path.charCodeAt(i + 2) === 47)) return false;
    }
  }
  return true;
}

function isPlainQuery(query: string): boolean {
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c >= 128 || !LITERAL[c]) return false;
  }
  return true;
}

/** `target`: the request-target as the proxy forwards it (`/path?query`). */
export function normalizeRequestPath(target: string): NormalizedRequestPath {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  try {
    // Absolute-form (`http://host/admin`), `*` and relative paths: not a path any app serves as such.
    if (rawPath.charCodeAt(0) !== 47) throw new Ambiguous('not_absolute_path');
    const path = isPlainPath(rawPath) ? rawPath : resolveSegments(percentNormalize(rawPath, true));
    const query = isPlainQuery(rawQuery) ? rawQuery : percentNormalize(rawQuery, false);
    return { kind: 'normal', path, query };
  } catch (err) {
    if (!(err instanceof Ambiguous)) throw err;
    return { kind: 'ambiguous', reason: err.reason, path: rawPath, query: rawQuery };
  }
}
