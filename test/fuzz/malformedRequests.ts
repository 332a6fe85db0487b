// Requests that no correct client sends, for one route: every one of them is invalid by
// construction (a root that is not an object, an unknown or prototype key, a declared field of
// the wrong type or length, a required field missing, broken JSON, a wrong content type, an
// oversized body), so the only right answers are 4xx.
import fc from 'fast-check';
import type { ApiOperation } from '../../server/http/openapi/apiOperations.js';
import { z } from 'zod';

export interface FuzzRequest {
  method: string;
  path: string;
  contentType: string | null;
  body: string | Buffer | undefined;
  /** 'client_error': malformed input, only 4xx is right. 'no_server_error': GET with junk query. */
  expect: 'client_error' | 'no_server_error';
  label: string;
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; maxLength?: number };

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
// No whitespace: a long name of spaces would trim down to a valid one.
const DENSE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.@+ÿ€😀';

/** Nesting deeper than any body needs; still far under the body limit. */
export const DEEP = 10_000;
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** A JSON value (as text) that is not of `type`. */
function wrongType(type: string | string[] | undefined): fc.Arbitrary<string> {
  const types = Array.isArray(type) ? type : [type ?? 'string'];
  const all: [string, fc.Arbitrary<string>][] = [
    ['string', fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s))],
    ['integer', fc.integer().map(String)],
    ['number', fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n))],
    ['boolean', fc.boolean().map(String)],
    ['null', fc.constant('null')],
    ['array', fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }).map((a) => JSON.stringify(a))],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((o) => JSON.stringify(o))],
    ['deep array', fc.integer({ min: 100, max: DEEP }).map(deepArray)],
    ['deep object', fc.integer({ min: 100, max: DEEP }).map(deepObject)],
  ];
  const excluded = (name: string) =>
    types.includes(name) || (name === 'integer' && types.includes('number')) || (name.startsWith('deep ') && types.includes(name.slice(5)));
  return fc.oneof(...all.filter(([name]) => !excluded(name)).map(([, arb]) => arb));
}

/** Joins members into an object's text, keeping keys such as "__proto__" as plain keys. */
const objectText = (members: [string, string][]) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

function bodyText(schema: JsonSchema, base: Record<string, string>, nearMiss: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<{ text: string; label: string }> {
  const props = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const baseMembers = () => Object.entries(base);
  const arbs: fc.Arbitrary<{ text: string; label: string }>[] = [
    // The root is not an object.
    fc
      .oneof(fc.integer().map(String), fc.constant('null'), fc.boolean().map(String), fc.string({ maxLength: 30 }).map((s) => JSON.stringify(s)), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }).map((a) => JSON.stringify(a)), fc.integer({ min: 100, max: DEEP }).map(deepArray))
      .map((text) => ({ text, label: 'root not an object' })),
    // An unknown key beside valid-looking fields; prototype keys among them.
    fc
      .tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in (schema.properties ?? {})))), fc.jsonValue({ maxDepth: 3 }))
      .map(([k, v]) => ({ text: objectText([[k, JSON.stringify(v) ?? 'null'], ...baseMembers().filter(([bk]) => bk !== k)]), label: `unknown key ${JSON.stringify(k).slice(0, 20)}` })),
    fc
      .tuple(fc.constantFrom(...PROTO_KEYS), fc.integer({ min: 100, max: DEEP }))
      .map(([k, n]) => ({ text: objectText([...baseMembers(), [k, deepObject(n)]]), label: `deep ${k}` })),
  ];
  if (props.length) {
    // A declared field of the wrong type (deep nesting included).
    arbs.push(
      fc
        .constantFrom(...props)
        .chain(([name, p]) => wrongType(p.type).map((v) => ({ text: objectText([...baseMembers().filter(([k]) => k !== name), [name, v]]), label: `${name}: wrong type` }))),
    );
    // A string field far longer than allowed (and without whitespace to trim away).
    const strings = props.filter(([, p]) => p.type === 'string');
    if (strings.length) {
      arbs.push(
        fc
          .tuple(fc.constantFrom(...strings), fc.integer({ min: 1, max: 150_000 }), fc.string({ unit: fc.constantFrom(...DENSE), minLength: 1, maxLength: 8 }))
          .map(([[name, p], extra, chunk]) => {
            const length = Math.max(p.maxLength ?? 64, 64) + extra;
            const value = chunk.repeat(Math.ceil(length / chunk.length));
            return { text: objectText([...baseMembers().filter(([k]) => k !== name), [name, JSON.stringify(value)]]), label: `${name}: huge string` };
          }),
      );
    }
  }
  for (const [name, arb] of Object.entries(nearMiss)) {
    arbs.push(arb.map((v) => ({ text: objectText([...baseMembers().filter(([k]) => k !== name), [name, JSON.stringify(v)]]), label: `${name}: wrong length or shape` })));
  }
  const missing = required.filter((r) => r in base);
  if (missing.length) {
    arbs.push(fc.constantFrom(...missing).map((name) => ({ text: objectText(baseMembers().filter(([k]) => k !== name)), label: `${name}: missing` })));
  }
  return fc.oneof(...arbs);
}

/** Bodies that fail before any route sees them: broken JSON, a wrong content type, too large. */
function transport(bodyLimit: number): fc.Arbitrary<{ contentType: string | null; body: string | Buffer; label: string }> {
  return fc.oneof(
    // An object cut short (but not to nothing) is never valid JSON.
    fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify({ k: v, z: 1 });
      return { contentType: 'application/json', body: text.slice(0, 1 + (cut % (text.length - 2))), label: 'truncated JSON' };
    }),
    fc
      .constantFrom('{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":undefined}', '{"a" 1}', '[1,2', '{"a":"\\x"}', 'nul', '{}}', '{"a":1}{"b":2}', '\u0000{}')
      .map((body) => ({ contentType: 'application/json', body, label: 'malformed JSON' })),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ contentType: 'application/json', body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from([0xff, 0xfe])]), label: 'invalid UTF-8' })),
    fc
      .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json', 'application/jsonx', 'text/json', '*/*', 'application/octet-stream'), fc.constantFrom('{}', 'a=1', '<a/>', '{"username":"a"}'))
      .map(([contentType, body]) => ({ contentType, body, label: `content type ${contentType}` })),
    fc.constant({ contentType: null, body: Buffer.from('{}'), label: 'no content type' }),
    fc.integer({ min: 1, max: bodyLimit }).map((extra) => ({ contentType: 'application/json', body: JSON.stringify({ pad: 'x'.repeat(bodyLimit + extra) }), label: 'over the body limit' })),
  );
}

const idArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.constantFrom('__proto__', 'constructor', '..', '%00', 'null', 'undefined', '0', '-1', '$where', '{"$gt":""}', "' OR 1=1 --"),
  fc.string({ unit: fc.constantFrom(...DENSE), minLength: 65, maxLength: 900 }),
);

function fillPath(path: string): fc.Arbitrary<string> {
  const names = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  if (!names.length) return fc.constant(path);
  return fc.tuple(...names.map(() => idArb)).map((ids) => names.reduce((p, n, i) => p.replace(`:${n}`, encodeURIComponent(ids[i]!)), path));
}

const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('limit', 'before', 'query', 'userId', 'type', 'from', 'to', 'aal', 'rd', 'redirect', '__proto__', 'constructor', 'limit[]', 'a[b]'), fc.string({ maxLength: 8 })),
      fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom('', '-1', '1e309', 'NaN', 'Infinity', '0x10', '9007199254740993', 'x'.repeat(3000))),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

export interface RoutePlan {
  method: string;
  /** @koa/router syntax */
  path: string;
  op: ApiOperation;
}

/** Values close to right: wrong length or shape, per body field of some routes. */
function nearMisses(path: string, digits: number): Record<string, fc.Arbitrary<string>> {
  if (path.startsWith('/api/totp/') && path.endsWith('/confirm')) return { code: wrongDigits(digits) };
  if (path === '/api/totp/verify') return { code: wrongDigits(digits) };
  if (path === '/api/recovery-codes/verify') {
    return { code: fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ-'), maxLength: 9 }).filter((s) => s.replace(/-/g, '').length !== 10) };
  }
  return {};
}

const wrongDigits = (digits: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 40 }).filter((n) => n !== digits).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
    fc.string({ unit: fc.constantFrom(...'0123456789 -a٣'), minLength: digits, maxLength: digits }).filter((s) => !/^\d+$/.test(s) || s.length !== digits),
  );

export function malformedRequests(plan: RoutePlan, opts: { bodyLimit: number; totpDigits: number; samples: Record<string, unknown> }): fc.Arbitrary<FuzzRequest> {
  const { method, op } = plan;
  const path = fillPath(plan.path);
  if (method === 'GET') {
    return fc.tuple(path, queryArb).map(([p, q]) => ({ method, path: q ? `${p}?${q}` : p, contentType: null, body: undefined, expect: 'no_server_error', label: 'junk query' }));
  }
  const arbs: fc.Arbitrary<FuzzRequest>[] = [
    fc.tuple(path, transport(opts.bodyLimit)).map(([p, t]) => ({ method, path: p, contentType: t.contentType, body: t.body, expect: 'client_error', label: t.label })),
  ];
  if (op.body) {
    const schema = z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const base: Record<string, string> = {};
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      base[name] = name in opts.samples ? JSON.stringify(opts.samples[name]) : p.type === 'array' ? '[]' : p.type === 'object' ? '{}' : '"a"';
    }
    const bodies = bodyText(schema, base, nearMisses(plan.path, opts.totpDigits));
    // Weighted: most cases go to the body a route validates.
    arbs.push(
      fc.tuple(path, bodies).map(([p, b]) => ({ method, path: p, contentType: 'application/json', body: b.text, expect: 'client_error', label: b.label })),
      fc.tuple(path, bodies).map(([p, b]) => ({ method, path: p, contentType: 'application/json', body: b.text, expect: 'client_error', label: b.label })),
    );
  }
  return fc.oneof(...arbs);
}
