// The OpenAPI 3.1 description of the API, built from apiOperations (the routes' own zod
// schemas, through zod's JSON Schema output, which is OpenAPI 3.1's schema dialect).
import { z } from 'zod';
import type { Config } from '../../config.js';
import { ERROR_STATUS, type ErrorCode } from '../../errors.js';
import { cookieName } from '../sessionMiddleware.js';
import { apiOperations, type ApiOperation } from './apiOperations.js';
import { portablePattern } from './portablePattern.js';

type Json = Record<string, unknown>;

// Requests (io: input): what a client sends, before transforms and defaults.
function jsonSchema(schema: z.ZodType | Json): Json {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ jsonSchema: s }) => {
      if (typeof s.pattern === 'string') s.pattern = portablePattern(s.pattern);
    },
  }) as Json;
  return rest;
}

/** Errors every operation of its kind can answer, besides its own. */
function implicitErrors(op: ApiOperation): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (op.path.startsWith('/api/') && op.method !== 'get') codes.push('forbidden', 'unsupported_media_type', 'payload_too_large', 'invalid_request');
  if (op.body || op.query || op.params) codes.push('invalid_request');
  if (op.path !== '/healthz' && op.path !== '/api/openapi.json' && op.path !== '/metrics') codes.push('unavailable');
  return codes;
}

function responses(op: ApiOperation): Json {
  const out: Json = {
    [op.ok.status]: {
      description: op.ok.description,
      ...(op.ok.headers && { headers: Object.fromEntries(op.ok.headers.map((h) => [h, { schema: { type: 'string' } }])) }),
      ...(op.ok.schema && { content: { [op.ok.contentType ?? 'application/json']: { schema: op.ok.schema } } }),
    },
  };
  for (const other of op.also ?? []) {
    out[other.status] = { description: other.description, ...(other.headers && { headers: Object.fromEntries(other.headers.map((h) => [h, { schema: { type: 'string' } }])) }) };
  }
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...op.errors, ...implicitErrors(op)]) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...codes];
    out[status] = {
      description: list.join(', '),
      ...((status === 429 || status === 503) && { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }),
      content: {
        'application/json': {
          schema: { allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { error: { enum: list } } }] },
        },
      },
    };
  }
  // Node's parser refuses a request line or headers over its limit before any route runs.
  if (op.query) out[431] = { description: 'The address (with its query) or the headers are too long', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return out;
}

function operation(op: ApiOperation): Json {
  const parameters: Json[] = [];
  for (const [name, schema] of Object.entries(op.params ?? {})) parameters.push({ name, in: 'path', required: true, schema: jsonSchema(schema) });
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  return {
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [op.tag],
    summary: op.summary,
    ...(parameters.length && { parameters }),
    // A body the route would accept as {} may be left out: the server reads no body as {}.
    ...(op.body && { requestBody: { required: !op.body.safeParse({}).success, content: { 'application/json': { schema: jsonSchema(op.body) } } } }),
    responses: responses(op),
    security: op.session ? [{ session: [] }, {}] : [],
  };
}

export function buildOpenApiDocument(config: Config): Json {
  const paths: Record<string, Json> = {};
  for (const op of apiOperations(config)) (paths[op.path] ??= {})[op.method] = operation(op);
  const codes = Object.keys(ERROR_STATUS);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyward',
      version: '0.1.0',
      description:
        'Sign-in with a password and a security key (WebAuthn), an authenticator app (TOTP) or a recovery code; passkeys. ' +
        'State-changing requests need an Origin header from the configured ORIGINS. Errors are {error, message}.',
    },
    servers: config.origins.map((url) => ({ url })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: cookieName(config.cookieSecure, config.cookieDomain), description: 'The session cookie Keyward sets at sign-in.' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string', enum: codes }, message: { type: 'string' }, details: { type: 'object' } },
        },
        User: { type: 'object', required: ['id', 'username', 'displayName'], properties: { id: { type: 'string' }, username: { type: 'string' }, displayName: { type: 'string' } } },
        Factor: { type: 'string', enum: ['webauthn', 'totp', 'recovery_code'] },
        Session: {
          type: 'object',
          required: ['status', 'aal', 'factors'],
          properties: {
            status: { enum: ['anonymous', 'mfa_required', 'enroll_required', 'authenticated', 'reset_required', 'reset_password'], description: 'reset_required: a password-reset link was opened, a second factor comes next; reset_password: it was confirmed, the new password comes next. Neither is signed in to anything.' },
            user: { $ref: '#/components/schemas/User' },
            aal: { enum: [0, 1, 2, 3] },
            factors: { type: 'array', items: { $ref: '#/components/schemas/Factor' } },
            authenticatedAt: { type: 'string' },
            stepUpAt: { type: 'string' },
            password: { type: 'boolean', description: 'Whether the account has a password; false: passkey-only' },
            admin: { const: true, description: 'Present, and true, only for an administrator' },
            enrolReason: { enum: ['mfa_reset'], description: 'With enroll_required, why a person who had second factors must set one up again: mfa_reset, an administrator removed them (and the password: the enrolment link set the new one)' },
          },
        },
        Credential: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            createdAt: { type: 'string' },
            lastUsedAt: { type: ['string', 'null'] },
            transports: { type: 'array', items: { type: 'string' } },
            deviceType: { enum: ['singleDevice', 'multiDevice'] },
            backedUp: { type: 'boolean' },
            aaguid: { type: 'string' },
            flagged: { type: 'boolean' },
            model: { type: ['string', 'null'], description: 'The key model, from the FIDO metadata or a well-known list' },
            modelIcon: { type: ['string', 'null'], description: 'The model’s icon from the FIDO metadata: a data: URL of a PNG, JPEG or SVG image' },
            attestation: {
              type: ['object', 'null'],
              description: 'What attestation proved at registration (ATTESTATION_POLICY=mds)',
              properties: { certification: { type: ['string', 'null'] }, hardwareBound: { type: 'boolean' } },
            },
            modelRevokedBy: { type: ['string', 'null'], description: 'The FIDO metadata status that revoked the key model' },
          },
        },
        AdminUser: {
          type: 'object',
          required: ['id', 'username', 'displayName', 'roles', 'groups', 'directoryGroups', 'source', 'password', 'createdAt', 'factors', 'flaggedKeys', 'revokedKeys', 'locked', 'invisibleCharacters'],
          properties: {
            id: { type: 'string' },
            username: { type: 'string' },
            displayName: { type: 'string' },
            roles: { type: 'array', items: { type: 'string' } },
            groups: { type: 'array', items: { type: 'string' }, description: 'Groups given in Keyward' },
            directoryGroups: { type: 'array', items: { type: 'string' }, description: 'Groups from the LDAP directory, as last read (not editable here)' },
            source: { type: 'string', enum: ['local', 'directory'], description: 'Where the password lives: Keyward (local) or the LDAP directory' },
            createdAt: { type: 'string', format: 'date-time' },
            factors: { type: 'array', items: { $ref: '#/components/schemas/Factor' } },
            flaggedKeys: { type: 'integer', description: 'Keys that showed signs of being copied' },
            revokedKeys: {
              type: 'array',
              description: 'Keys of a model the FIDO metadata now reports compromised or revoked',
              items: {
                type: 'object',
                required: ['id', 'name', 'model', 'status'],
                properties: { id: { type: 'string' }, name: { type: 'string' }, model: { type: ['string', 'null'] }, status: { type: 'string' } },
              },
            },
            password: {
              type: 'string',
              enum: ['set', 'none', 'reset', 'directory'],
              description: "How the account's password stands: set; none (a passkey-only account, the person's choice); reset (by an administrator, until the enrolment link sets one); directory (checked by the directory, Keyward holds none)",
            },
            locked: { type: 'boolean' },
            invisibleCharacters: {
              type: 'array',
              items: { type: 'string' },
              description: 'Characters in the username that render as nothing (as "U+1160"), so the name may look like another one; empty for every name made since they are refused',
            },
          },
        },
        Authenticator: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: ['string', 'null'] } },
        },
        NoticeAddress: {
          type: 'object',
          required: ['available', 'address', 'confirmed'],
          properties: { available: { type: 'boolean', description: 'false when the server sends no e-mail' }, address: { type: ['string', 'null'] }, confirmed: { type: 'boolean' } },
        },
      },
    },
  };
}
