// /api/openapi.json is a valid OpenAPI 3.1 document and matches the routes the app really
// registers: nothing undocumented, nothing documented that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { z } from 'zod';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { cryptoRandom } from '../../server/clock.js';
import { registeredRoutes, toOpenApiPath } from '../../server/http/openapi/registeredRoutes.js';
import { webauthnBodies } from '../../server/http/routes/webauthnRoutes.js';
import { portablePattern } from '../../server/http/openapi/portablePattern.js';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/testApp.js';
import { createTestClock } from '../helpers/testClock.js';
import type { Storage } from '../../server/storage/port.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const documented = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`)).sort();

describe('OpenAPI description', () => {
  let storage: Storage;
  let dispose: () => Promise<void>;
  let app: TestApp;

  beforeAll(async () => {
    ({ storage, dispose } = await embeddedFactory.create());
    app = await startTestApp({ storage });
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  function routesOf(env: Record<string, string>) {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...TEST_SECRETS, ...env });
    const koa = createApp({ config, storage, clock: createTestClock(), random: cryptoRandom, logger: pino({ level: 'silent' }) });
    return registeredRoutes(koa).map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort();
  }

  it('is served at /api/openapi.json and validates as OpenAPI 3.1', async () => {
    const res = await app.client().get<Doc>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const validator = new Validator();
    const result = await validator.validate(res.body as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the app registers, and nothing else', async () => {
    const doc = (await app.client().get<Doc>('/api/openapi.json')).body;
    const routes = routesOf({});
    expect(routes.length).toBeGreaterThan(30);
    expect(documented(doc)).toEqual(routes);
  });

  it('documents /metrics exactly when the public port serves it', async () => {
    const open = await startTestApp({ storage, env: { METRICS_PUBLIC: 'true' } });
    try {
      const doc = (await open.client().get<Doc>('/api/openapi.json')).body;
      expect(documented(doc)).toContain('GET /metrics');
      expect(documented(doc)).toEqual(routesOf({ METRICS_PUBLIC: 'true' }));
    } finally {
      await open.close();
    }
  });

  it('describes the admin user list and key listings with the key model and its FIDO metadata status', async () => {
    const doc = (await app.client().get<Doc & { components: { schemas: Record<string, { properties: Record<string, { items?: { required?: string[] } }> }> } }>('/api/openapi.json')).body;
    const users = doc.paths['/api/admin/users']?.['get'] as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    expect(users.responses['200']?.content['application/json']?.schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/AdminUser' } });
    const { AdminUser, Credential } = doc.components.schemas;
    expect(Object.keys(AdminUser!.properties)).toEqual(expect.arrayContaining(['flaggedKeys', 'revokedKeys', 'locked']));
    expect(AdminUser!.properties['revokedKeys']?.items?.required).toEqual(['id', 'name', 'model', 'status']);
    expect(Object.keys(Credential!.properties)).toEqual(expect.arrayContaining(['model', 'attestation', 'modelRevokedBy']));
  });

  it('documents the redirect of forward-auth, which bodies may be left out, and the administrator flag', async () => {
    const doc = (await app.client().get<Record<string, any>>('/api/openapi.json')).body; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.paths['/api/authz'].get.responses['302']).toMatchObject({ headers: { Location: expect.any(Object) } });
    const required = (path: string) => doc.paths[path].post.requestBody.required;
    expect(required('/api/recovery-codes')).toBe(false);
    expect(required('/api/webauthn/authentication/options')).toBe(false);
    expect(required('/api/me/notices/read')).toBe(false);
    expect(required('/api/session')).toBe(true);
    expect(required('/api/recovery-codes/verify')).toBe(true);
    expect(doc.components.schemas.Session.properties.admin).toEqual(expect.objectContaining({ const: true }));
  });

  it('keeps the username rules and the recovery-code shape, in patterns tools outside JavaScript can read', async () => {
    const res = await app.client().get<Record<string, any>>('/api/openapi.json'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const doc = res.body;
    const bodyOf = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    expect(bodyOf('/api/accounts').properties.username).toMatchObject({ type: 'string', minLength: 3, maxLength: 64, description: expect.stringContaining('. _ @ + -') });
    const code = new RegExp(bodyOf('/api/recovery-codes/verify').properties.code.pattern as string);
    for (const typed of ['7h2kq-m9xcd', '7H2KQ M9XCD', '7h2kqm9xcd']) expect(typed).toMatch(code);
    for (const wrong of ['7h2kq', '7h2kq-m9xcd-1', 'uuuuu-uuuuu']) expect(wrong).not.toMatch(code);
    // No Unicode property escapes anywhere: Python's re, Go's regexp and Java read every pattern.
    expect(JSON.stringify(doc)).not.toMatch(/\\p\{/);
    const name = bodyOf('/api/webauthn/registration/verify').properties.name.pattern as string;
    const route = /^[^\p{Cc}\p{Cf}]*$/u;
    for (const text of ['Blue key', 'Clé bleue 🔑', 'a\u0000b', 'tab\there', 'zero\u200bwidth', 'soft\u00adhyphen', 'tag\u{E0041}', 'bidi\u202e']) {
      expect({ text, ok: new RegExp(name, 'u').test(text) }).toEqual({ text, ok: route.test(text) });
    }
  });

  it('answers an address too long for the server with {error, message}: 400 up to its limit, 431 beyond', async () => {
    const long = await app.client().get<{ error: string; message: string }>(`/api/authz?rd=${'a'.repeat(3_000)}`);
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
    const huge = await fetch(`${app.url}/api/authz?rd=${'a'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-type')).toContain('application/json');
    expect(await huge.json()).toEqual({ error: 'invalid_request', message: 'The address or the headers are too long.' });
  });

  it('describes request bodies with the very schemas the routes validate with', async () => {
    const doc = (await app.client().get<Doc>('/api/openapi.json')).body;
    const body = doc.paths['/api/webauthn/registration/verify']?.['post']?.requestBody?.content['application/json']?.schema;
    // The same schema, with patterns spelled for tools outside JavaScript (see portablePattern).
    const { $schema: _ignored, ...expected } = z.toJSONSchema(webauthnBodies.registrationVerify, {
      io: 'input',
      unrepresentable: 'any',
      override: ({ jsonSchema: s }) => {
        if (typeof s.pattern === 'string') s.pattern = portablePattern(s.pattern);
      },
    }) as Record<string, unknown>;
    expect(body).toEqual(expected);
    // Configuration shows through: the code length is the configured one.
    const eight = await startTestApp({ storage, env: { TOTP_DIGITS: '8' } });
    try {
      const d = (await eight.client().get<Doc>('/api/openapi.json')).body;
      expect(JSON.stringify(d.paths['/api/totp/verify'])).toContain('^\\\\d{8}$');
    } finally {
      await eight.close();
    }
  });
});
