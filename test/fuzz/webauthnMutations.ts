// Damage to a WebAuthn response that a real key just produced for a live challenge: bytes
// flipped, cut, inserted or replaced by hostile CBOR inside attestationObject, authenticatorData,
// clientDataJSON and the signature; invalid base64url; wrong lengths. The key signs everything
// that matters (packed self-attestation for registrations), so every one must be refused.
import fc from 'fast-check';
import { isoCBOR } from '@simplewebauthn/server/helpers';

type Bytes = Buffer;

export interface Damage {
  field: string;
  label: string;
  apply(original: string): string;
}

const b64u = (b: Bytes) => b.toString('base64url');
const bytesOf = (s: string) => Buffer.from(s, 'base64url');

/** Byte-level damage that always changes the bytes and never only appends (trailing bytes could be ignored). */
const byteDamage: fc.Arbitrary<{ label: string; apply: (b: Bytes) => Bytes }> = fc.oneof(
  fc.nat().map((n) => ({ label: 'truncated', apply: (b: Bytes) => b.subarray(0, n % Math.max(b.length, 1)) })),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => ({
    label: 'bytes flipped',
    apply: (b: Bytes) => {
      const out = Buffer.from(b);
      // Distinct positions, so two flips cannot cancel out.
      const seen = new Set<number>();
      for (const [at, x] of flips) {
        const i = at % out.length;
        if (seen.has(i)) continue;
        seen.add(i);
        out[i] = out[i]! ^ x;
      }
      return out;
    },
  })),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]) => ({
    label: 'bytes inserted',
    apply: (b: Bytes) => {
      const i = at % Math.max(b.length, 1);
      return Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([at, n]) => ({
    label: 'slice removed',
    apply: (b: Bytes) => {
      const i = at % Math.max(b.length, 1);
      return Buffer.concat([b.subarray(0, i), b.subarray(i + n)]);
    },
  })),
  fc.uint8Array({ minLength: 0, maxLength: 300 }).map((junk) => ({ label: 'random bytes', apply: () => Buffer.from(junk) })),
);

const repeat = (byte: number[], n: number, tail: number[] = []) => Buffer.from([...Array.from({ length: n }, () => byte).flat(), ...tail]);

/** CBOR written to hurt a decoder: deep nesting, absurd lengths, tags, wrong shapes. */
const hostileCbor: fc.Arbitrary<{ label: string; bytes: Bytes }> = fc.oneof(
  fc.integer({ min: 1000, max: 20_000 }).map((n) => ({ label: 'CBOR nested arrays', bytes: repeat([0x81], n, [0x00]) })),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => ({ label: 'CBOR nested indefinite arrays', bytes: repeat([0x9f], n) })),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => ({ label: 'CBOR nested maps', bytes: repeat([0xa1, 0x00], n, [0x00]) })),
  fc.integer({ min: 100, max: 5000 }).map((n) => ({ label: 'CBOR nested tags', bytes: repeat([0xd8, 0x18], n, [0x40]) })),
  fc.constantFrom(
    { label: 'CBOR map of 2^64-1 entries', bytes: Buffer.from([0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) },
    { label: 'CBOR byte string of 4 GiB', bytes: Buffer.from([0x5a, 0xff, 0xff, 0xff, 0xff, 0x00]) },
    { label: 'CBOR text string of 2^64-1 bytes', bytes: Buffer.from([0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) },
    { label: 'CBOR array of 2^32 items', bytes: Buffer.from([0x9a, 0xff, 0xff, 0xff, 0xff]) },
    { label: 'CBOR break without start', bytes: Buffer.from([0xff]) },
    { label: 'CBOR reserved additional info', bytes: Buffer.from([0x1c, 0x3d, 0x5e, 0xfc]) },
    { label: 'CBOR half float NaN', bytes: Buffer.from([0xf9, 0x7e, 0x00]) },
    { label: 'CBOR undefined', bytes: Buffer.from([0xf7]) },
  ),
  // A well-formed map with the wrong things in it.
  fc
    .tuple(
      fc.oneof(fc.constant<unknown>(1), fc.constant<unknown>('packed'), fc.constant<unknown>('none'), fc.constant<unknown>(new Uint8Array([1]))),
      fc.oneof(fc.constant<unknown>([]), fc.constant<unknown>(new Map()), fc.constant<unknown>('x'), fc.constant<unknown>(new Map<string, unknown>([['alg', -7], ['sig', new Uint8Array(3)]]))),
      fc.oneof(
        fc.uint8Array({ maxLength: 36 }).map((a) => a as unknown),
        fc.constant<unknown>('authData'),
        fc.constant<unknown>(7),
        // 37 bytes with the "attested credential data" flag but no credential after it.
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((h) => new Uint8Array([...h, 0x41, 0, 0, 0, 0]) as unknown),
        // A credential id length far past the end.
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((h) => new Uint8Array([...h, 0x45, 0, 0, 0, 0, ...new Uint8Array(16), 0xff, 0xff, 1, 2, 3]) as unknown),
      ),
    )
    .map(([fmt, attStmt, authData]) => ({
      label: 'CBOR map with wrong fields',
      bytes: Buffer.from(isoCBOR.encode(new Map<string, unknown>([['fmt', fmt], ['attStmt', attStmt], ['authData', authData]]) as never)),
    })),
);

const stringDamage: fc.Arbitrary<{ label: string; apply: (s: string) => string }> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom('+', '/', '=', ' ', '.', '%', '\u0000', 'é', '😀', '\n')).map(([at, ch]) => ({
    label: 'not base64url',
    apply: (s: string) => {
      const i = at % Math.max(s.length, 1);
      return s.slice(0, i) + ch + s.slice(i);
    },
  })),
  fc.constant({ label: 'empty', apply: () => '' }),
  fc.integer({ min: 1, max: 70_000 }).map((n) => ({ label: 'too long', apply: (s: string) => s + 'A'.repeat(n + 70_000 - s.length > 0 ? n + 70_000 - s.length : n) })),
);

const clientDataJson: fc.Arbitrary<{ label: string; bytes: Bytes }> = fc.oneof(
  fc.constantFrom('', 'null', '[]', '"x"', '{', '{"challenge":1}', '{"challenge":"short"}', '{"challenge":null,"type":"webauthn.get"}').map((t) => ({ label: `clientDataJSON ${t || 'empty'}`, bytes: Buffer.from(t) })),
  fc.integer({ min: 100, max: 10_000 }).map((n) => ({ label: 'clientDataJSON deeply nested', bytes: Buffer.from('['.repeat(n) + ']'.repeat(n)) })),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 16, maxLength: 128 }).map((challenge) => ({
    label: 'clientDataJSON for another challenge',
    bytes: Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'http://localhost', crossOrigin: false })),
  })),
);

function bytesField(field: string, extra: fc.Arbitrary<{ label: string; bytes: Bytes }>[] = []): fc.Arbitrary<Damage> {
  return fc.oneof(
    byteDamage.map((d) => ({ field, label: `${field}: ${d.label}`, apply: (s: string) => b64u(d.apply(bytesOf(s))) })),
    stringDamage.map((d) => ({ field, label: `${field}: ${d.label}`, apply: d.apply })),
    ...extra.map((arb) => arb.map((h) => ({ field, label: `${field}: ${h.label}`, apply: () => b64u(h.bytes) }))),
  );
}

export const registrationDamage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 4, arbitrary: bytesField('attestationObject', [hostileCbor]) },
  { weight: 2, arbitrary: bytesField('clientDataJSON', [clientDataJson]) },
  // Not the id: the server takes the credential id from the signed authenticator data.
);

export const authenticationDamage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: bytesField('authenticatorData', [hostileCbor]) },
  { weight: 2, arbitrary: bytesField('clientDataJSON', [clientDataJson]) },
  { weight: 2, arbitrary: bytesField('signature') },
  { weight: 1, arbitrary: bytesField('id') },
);

/** Applies `d` to a response JSON (id and rawId travel together: the server reads both). */
export function damage<T extends { id: string; rawId: string; response: Record<string, unknown> }>(response: T, d: Damage): T {
  const copy = structuredClone(response);
  if (d.field === 'id') {
    const next = d.apply(copy.id);
    copy.id = next;
    copy.rawId = next;
  } else {
    copy.response[d.field] = d.apply(String(copy.response[d.field]));
  }
  return copy;
}
