import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { embeddedFactory, mongoFactory } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';

describe.each([mongoFactory, embeddedFactory])('HTTP hygiene ($name)', (factory) => {
  const t = useApp(factory);

  it('answers malformed JSON with 400 invalid_request', async () => {
    const res = await t.app.client().request('POST', '/api/accounts', { body: '{"username": "al', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
  });

  it('answers a JSON body that is not an object with 400', async () => {
    for (const body of ['"just a string"', '42', 'null', '[]']) {
      const res = await t.app.client().request('POST', '/api/session', { body, headers: { 'Content-Type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', message: 'The body must be a JSON object.' });
    }
  });

  it('names each invalid field in a 400', async () => {
    const res = await t.app.client().post('/api/accounts', { username: 7 });
    expect(res.status).toBe(400);
    const fields = (res.body as { details: { fields: { path: string }[] } }).details.fields.map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password']));
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const res = await t.app.client().post('/api/accounts', { username: 'alice', password: 'x'.repeat(110 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
    const res = await t.app.client().request('POST', '/api/session', {
      body: 'username=alice&password=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('refuses a state-changing request from a foreign origin or with no origin (403)', async () => {
    const foreign = await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: 'forbidden' });
    const none = await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD }, { origin: null });
    expect(none.status).toBe(403);
    // Nothing was created by the refused requests.
    expect(await t.storage.users.findByUsername('alice')).toBeNull();
  });

  it('lets reads through without an Origin', async () => {
    const res = await t.app.client().get('/api/session', { origin: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'anonymous', aal: 0, factors: [] });
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const res = await t.app.client().get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found' });
  });

  it('answers a method a route does not take with 405 and the methods it does take', async () => {
    const res = await t.app.client().request('PUT', '/api/session', { json: {} });
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ error: 'method_not_allowed' });
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  });

  // fetch refuses TRACE and a GET with a body, so these go through node:http.
  const raw = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
      const req = request(`${t.app.url}${path}`, { method, headers: { Origin: t.app.origin, ...(body && { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('answers a method no route takes (TRACE) with 405 and the methods the path takes, even with a body', async () => {
    const res = await raw('TRACE', '/api/session', '{}');
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'method_not_allowed' });
    expect(res.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
    expect((await raw('TRACE', '/healthz')).status).toBe(405);
  });

  it('answers a GET with a body to a POST-only route with 405, not a complaint about the body', async () => {
    const res = await raw('GET', '/api/accounts', '{"username": "alice"}');
    expect(res.status).toBe(405);
    expect(res.allow).toBe('POST');
  });

  it('sends security headers and a request id on every answer', async () => {
    for (const path of ['/api/session', '/healthz', '/api/no-such-thing']) {
      const res = await t.app.client().get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
  });

  it('answers /healthz and /readyz while the database is there', async () => {
    expect((await t.app.client().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.app.client().get('/readyz')).body).toEqual({ status: 'ready' });
  });
});
