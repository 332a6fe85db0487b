// Forward-auth has two entry points: the node:http handler in front of Koa (what the server
// serves) and the Koa route (Keyward hosted in another Koa app, or Koa alone). Both run one
// implementation, so every answer must be the same, byte for byte, headers included: checked
// here by sending the same requests, with the same cookies, to one app through both.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from 'koa';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/testApp.js';
import type { Storage } from '../../server/storage/port.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import type { HttpClient } from '../helpers/httpClient.js';

const OLD_SECRET = randomBytes(32).toString('base64url');

const RULES = `
default_policy: deny
rules:
  - domain: public.example.com
    policy: bypass
  - domain: app.example.com
    subject: group:dev
    policy: two_factor
  - domain: weak.example.com
    policy: one_factor
`;

// Differ on every answer by design (the clock, a fresh id) or by connection.
const VARYING = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

interface Seen {
  status: number;
  headers: [string, string][];
  body: string;
}

async function ask(base: string, method: string, path: string, headers: Record<string, string>): Promise<Seen> {
  const res = await fetch(base + path, { method, headers, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
  const seen = [...res.headers].filter(([name]) => !VARYING.has(name)).sort(([a], [b]) => a.localeCompare(b));
  return { status: res.status, headers: seen, body };
}

const cookieOf = (c: HttpClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const sessionCookie = (c: HttpClient) => `keyward=${c.cookies.get('keyward')}`;

/** The same session's cookie, signed with the retired secret (still accepted, re-signed in the answer). */
function staleCookie(c: HttpClient): string {
  const value = c.cookies.get('keyward')!;
  const id = value.slice(0, value.indexOf('.'));
  return `keyward=${id}.${createHmac('sha256', Buffer.from(OLD_SECRET)).update(id).digest('base64url')}`;
}

function bothEntryPoints(factory: StorageFactory, env: Record<string, string>) {
  const t = {} as { app: TestApp; leanUrl: string; koaUrl: string; servers: Server[]; storage: Storage; dispose(): Promise<void>; reachedKoa: string[]; dir: string };
  beforeAll(async () => {
    t.dir = mkdtempSync(join(tmpdir(), 'keyward-entry-'));
    writeFileSync(join(t.dir, 'rules.yml'), RULES);
    const created = await factory.create();
    t.storage = created.storage;
    t.dispose = created.dispose;
    const files = env['ACCESS_RULES_FILE'] ? { ACCESS_RULES_FILE: join(t.dir, 'rules.yml') } : {};
    t.app = await startTestApp({ storage: t.storage, env: { SESSION_SECRETS: `${TEST_SECRETS['SESSION_SECRETS']},${OLD_SECRET}`, ...env, ...files } });
    // What reaches Koa at all: the handler in front answers forward-auth without it.
    t.reachedKoa = [];
    const spy: Middleware = (ctx, next) => {
      t.reachedKoa.push(ctx.path);
      return next();
    };
    // Before either listener is made: Koa composes its middleware when callback() is called.
    t.app.app.middleware.unshift(spy);
    const listen = async (listener: Parameters<typeof createServer>[1]) => {
      const server = createServer(listener);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      t.servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    t.servers = [];
    t.leanUrl = await listen(t.app.app.callback());
    t.koaUrl = await listen(t.app.app.koaCallback());
  });
  afterAll(async () => {
    for (const server of t.servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await t.app.close();
    await t.dispose();
    rmSync(t.dir, { recursive: true, force: true });
  });

  /** Asks both entry points the same, expects the same answer, and returns it. */
  async function same(method: string, path: string, headers: Record<string, string> = {}): Promise<Seen> {
    const lean = await ask(t.leanUrl, method, path, headers);
    const koa = await ask(t.koaUrl, method, path, headers);
    expect(lean, `${method} ${path}`).toEqual(koa);
    return lean;
  }
  return { t, same };
}

describe.each(storageFactories)('forward-auth answers the same through the handler in front of Koa and through the Koa route ($name)', (factory) => {
  describe('without access rules', () => {
    const { t, same } = bothEntryPoints(factory, {});
    let alice: HttpClient;
    let pending: HttpClient;
    beforeAll(async () => {
      alice = t.app.client();
      await signUpWithKey(alice, 'alice');
      pending = t.app.client();
      expect((await pending.post('/api/accounts', { username: 'newbie', password: PASSWORD })).status).toBe(201);
    });

    it('answers anonymous checks alike: 401, 302 with redirect, rd, a bad query and a cookie naming nothing', async () => {
      t.reachedKoa.length = 0;
      expect((await same('GET', '/api/authz')).status).toBe(401);
      expect((await same('GET', '/api/authz?redirect=true&rd=http%3A%2F%2Flocalhost%2Fback')).status).toBe(302);
      expect((await same('HEAD', '/api/authz?aal=1')).status).toBe(401);
      expect((await same('GET', '/api/authz?aal=9')).status).toBe(400);
      expect((await same('GET', '/api/whoami')).status).toBe(401);
      const forged = await same('GET', '/api/authz', { Cookie: `keyward=${'A'.repeat(43)}.${'B'.repeat(43)}` });
      expect(forged.headers.find(([n]) => n === 'set-cookie')?.[1]).toMatch(/Expires=Thu, 01 Jan 1970/);
      // Six checks went to each entry point; only the Koa one's reached Koa.
      expect(t.reachedKoa).toHaveLength(6);
    });

    it('answers signed-in checks alike: Remote-* headers, HEAD, whoami, a level too high, a second factor missing', async () => {
      const cookie = { Cookie: cookieOf(alice) };
      const allowed = await same('GET', '/api/authz', cookie);
      expect(allowed.status).toBe(200);
      expect(allowed.headers).toContainEqual(['remote-user', 'alice']);
      expect((await same('HEAD', '/api/authz', cookie)).status).toBe(200);
      expect((await same('GET', '/api/whoami', cookie)).status).toBe(200);
      expect((await same('GET', '/api/authz?aal=3', cookie)).status).toBe(401);
      expect((await same('GET', '/api/authz', { Cookie: cookieOf(pending) })).status).toBe(401);
    });

    it('re-signs alike a cookie signed with the retired secret', async () => {
      const answer = await same('GET', '/api/authz', { Cookie: staleCookie(alice) });
      expect(answer.status).toBe(200);
      expect(answer.headers.find(([n]) => n === 'set-cookie')?.[1]).toContain(`${sessionCookie(alice)};`);
    });

    it('refuses alike a session that was signed out, and clears its cookie', async () => {
      const bob = t.app.client();
      await signUpWithKey(bob, 'bob');
      const cookie = { Cookie: cookieOf(bob) };
      expect((await same('GET', '/api/authz', cookie)).status).toBe(200);
      expect((await bob.delete('/api/session')).status).toBeLessThan(300);
      const refused = await same('GET', '/api/authz', cookie);
      expect(refused.status).toBe(401);
      expect(refused.headers.find(([n]) => n === 'set-cookie')?.[1]).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect((await same('GET', '/api/whoami', cookie)).status).toBe(401);
    });
  });

  describe('with access rules behind a trusted proxy', () => {
    const { t, same } = bothEntryPoints(factory, { TRUST_PROXY: 'true', MFA_REQUIRED: 'false', ACCESS_RULES_FILE: 'rules.yml', AUTHZ_RETURN_DOMAINS: '.example.com' });
    const asked = (host: string, extra: Record<string, string> = {}) => ({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host, 'X-Forwarded-Uri': '/page?x=1', 'X-Forwarded-Method': 'GET', 'X-Forwarded-For': '203.0.113.9', 'X-Request-Id': 'proxy-request-1', ...extra });
    let dev: HttpClient;
    let pat: HttpClient;
    beforeAll(async () => {
      dev = t.app.client();
      await signUpWithKey(dev, 'devon');
      const user = (await t.storage.users.findByUsername('devon'))!;
      await t.storage.users.changeGroups(user.id, ['dev'], []);
      pat = t.app.client();
      expect((await pat.post('/api/accounts', { username: 'pat', password: PASSWORD })).status).toBe(201);
    });

    it('allows, bypasses, asks to sign in and forbids alike, the no-access page included', async () => {
      expect((await same('GET', '/api/authz', asked('public.example.com'))).status).toBe(200);
      expect((await same('GET', '/api/authz', { ...asked('app.example.com'), Cookie: cookieOf(dev) })).status).toBe(200);
      expect((await same('GET', '/api/authz?redirect=1', asked('app.example.com'))).status).toBe(302);
      expect((await same('GET', '/api/authz', asked('weak.example.com'))).status).toBe(401);
      expect((await same('GET', '/api/authz', { ...asked('app.example.com'), Cookie: cookieOf(pat) })).status).toBe(403);
      const page = await same('GET', '/api/authz?lang=de', { ...asked('app.example.com'), Cookie: cookieOf(pat), Accept: 'text/html', 'Accept-Language': 'fr' });
      expect(page.status).toBe(403);
      expect(page.body).toContain('<html');
      expect((await same('GET', '/api/authz', asked('elsewhere.example.com'))).status).toBe(403);
    });

    it('refuses alike a forwarded host named twice', async () => {
      expect((await same('GET', '/api/authz', asked('app.example.com, evil.example.com'))).status).toBe(400);
    });
  });
});
