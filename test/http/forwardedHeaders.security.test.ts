// One reading of the proxy chain: a trusted proxy sends one X-Forwarded-Host and one
// X-Forwarded-Proto. Two values (a list, or the header sent twice) are refused with 400
// instead of Koa taking the first, which a client can put there; /healthz answers anyway.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import type { Env } from '../../server/config.js';

// Public pages on one host; every other host needs a signed-in person.
const RULES = `
default_policy: one_factor
rules:
  - domain: public.example.test
    policy: bypass
`;

/** One request written by hand, so a header can be sent twice. */
function rawGet(port: number, path: string, headerLines: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write([`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...headerLines, '', ''].join('\r\n'));
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
  });
}

function useRulesApp(factory: StorageFactory, env: Env) {
  const t = {} as { app: TestApp; dispose(): Promise<void>; dir: string };
  beforeEach(async () => {
    t.dir = mkdtempSync(join(tmpdir(), 'keyward-forwarded-'));
    writeFileSync(join(t.dir, 'rules.yml'), RULES);
    const created = await factory.create();
    t.dispose = created.dispose;
    t.app = await startTestApp({ storage: created.storage, env: { ACCESS_RULES_FILE: join(t.dir, 'rules.yml'), ...env } });
  });
  afterEach(async () => {
    await t.app.close();
    await t.dispose();
    rmSync(t.dir, { recursive: true, force: true });
  });
  return t;
}

const authz = (host: string, proto = 'https') => ({ headers: { 'X-Forwarded-Proto': proto, 'X-Forwarded-Host': host, 'X-Forwarded-Uri': '/', 'X-Forwarded-Method': 'GET' } });

describe.each(storageFactories)('forwarded host and scheme ($name)', (factory) => {
  describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
    const t = useRulesApp(factory, { TRUST_PROXY: 'true' });

    it('refuses a forward-auth check naming two hosts, instead of letting the first one (the client\'s) pick the rule', async () => {
      // The proxy appended the real host to the one the client sent.
      const res = await t.app.client().get<{ error: string; message: string }>('/api/authz', authz('public.example.test, app.example.test'));
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
      expect(res.body.message).toMatch(/^X-Forwarded-Host has 2 values: the trusted proxy must send exactly one/);
      // One value each: the rules decide as before.
      expect((await t.app.client().get('/api/authz', authz('public.example.test'))).status).toBe(200);
      expect((await t.app.client().get('/api/authz', authz('app.example.test'))).status).toBe(401);
    });

    it('refuses the header sent twice, and two schemes, on any route', async () => {
      const port = Number(new URL(t.app.url).port);
      const twice = await rawGet(port, '/api/authz', ['X-Forwarded-Proto: https', 'X-Forwarded-Host: public.example.test', 'X-Forwarded-Host: app.example.test']);
      expect(twice.status).toBe(400);
      expect(twice.body).toMatch(/X-Forwarded-Host has 2 values/);
      const schemes = await t.app.client().get<{ message: string }>('/api/session', { headers: { 'X-Forwarded-Proto': 'https, http' } });
      expect(schemes.status).toBe(400);
      expect(schemes.body.message).toMatch(/^X-Forwarded-Proto has 2 values/);
      const protoTwice = await rawGet(port, '/api/session', ['X-Forwarded-Proto: https', 'X-Forwarded-Proto: http']);
      expect(protoTwice.status).toBe(400);
      expect((await t.app.client().get('/api/session', { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'login.example.test' } })).status).toBe(200);
    });

    it('still answers /healthz and /readyz whatever the headers say', async () => {
      const port = Number(new URL(t.app.url).port);
      for (const path of ['/healthz', '/readyz']) {
        expect((await rawGet(port, path, ['X-Forwarded-Host: a.example.test', 'X-Forwarded-Host: b.example.test', 'X-Forwarded-Proto: https, http'])).status, path).toBe(200);
      }
    });
  });

  describe('without TRUST_PROXY (no access rules: they need a trusted proxy)', () => {
    const t = {} as { app: TestApp; dispose(): Promise<void> };
    beforeEach(async () => {
      const created = await factory.create();
      t.dispose = created.dispose;
      t.app = await startTestApp({ storage: created.storage });
    });
    afterEach(async () => {
      await t.app.close();
      await t.dispose();
    });

    it('leaves the headers unread, as anyone can send them: two values change nothing', async () => {
      const twoHosts = await t.app.client().get<{ signInUrl: string }>('/api/authz', authz('a.example.test, b.example.test', 'https, http'));
      expect(twoHosts.status).toBe(401);
      expect(new URL(twoHosts.body.signInUrl).searchParams.get('rd')).toBeNull();
      expect((await t.app.client().get('/api/session', { headers: { 'X-Forwarded-Host': 'a.example.test, b.example.test', 'X-Forwarded-Proto': 'https, http' } })).status).toBe(200);
    });
  });
});
