// Reading values out of ldapts search entries: attribute names without regard to case (servers
// answer in their own spelling), binary ids (Active Directory's objectGUID) as UUID strings.
import type { Entry } from 'ldapts';

/** The attribute's values as strings (buffers as UTF-8), [] when absent. */
export function values(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : x));
}

export const first = (entry: Entry, name: string): string | null => values(entry, name)[0] ?? null;

/** The attribute's first value as bytes (binary attributes asked for as buffers). */
export function firstBuffer(entry: Entry, name: string): Buffer | null {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined) return null;
  return Buffer.isBuffer(x) ? x : Buffer.from(x, 'utf8');
}

/**
 * objectGUID as the UUID Microsoft's tools print: the first three fields are stored
 * little-endian (MS-DTYP 2.3.4.2), the rest in order.
 */
export function guidToUuid(b: Buffer): string {
  const h = (bytes: number[]) => bytes.map((i) => b[i]!.toString(16).padStart(2, '0')).join('');
  return `${h([3, 2, 1, 0])}-${h([5, 4])}-${h([7, 6])}-${h([8, 9])}-${h([10, 11, 12, 13, 14, 15])}`;
}

export function uuidToGuid(uuid: string): Buffer {
  const x = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  return Buffer.from([3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15].map((i) => x[i]!));
}

/**
 * The value of a DN's first RDN ("cn=admins,ou=groups,…" → "admins"), unescaped (RFC 4514:
 * `\,` is the character, `\c3\a9` the UTF-8 bytes of "é").
 */
export function firstRdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn);
  const raw = m?.[1] ?? dn;
  const bytes: Buffer[] = [];
  for (const [, hex, escaped, plain] of raw.matchAll(/\\([0-9a-fA-F]{2})|\\(.)|([^\\]+)/gsu)) {
    bytes.push(hex ? Buffer.from([parseInt(hex, 16)]) : Buffer.from(escaped ?? plain ?? '', 'utf8'));
  }
  return Buffer.concat(bytes).toString('utf8').trim();
}
