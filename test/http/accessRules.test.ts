// ACCESS_RULES_FILE over HTTP: one rules file, a table of forward-auth requests (who, which
// host, path, method and client address) and the answer /api/authz must give each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import type { HttpClient } from '../helpers/httpClient.js';
import type { Storage } from '../../server/storage/port.js';

export const RULES = `
default_policy: deny
rules:
  - domain: public.example.com
    policy: bypass
  - domain: '*.internal.example.com'
    networks: [10.0.0.0/8, 'fd00::/8']
    policy: one_factor
  - domain: app.example.com
    resources: ['^/api/admin(/|$)']
    subject: group:ops
    policy: two_factor
  - domain: app.example.com
    resources: ['^/api/admin(/|$)']
    policy: deny
  - domain: app.example.com
    methods: [GET, HEAD]
    resources: ['^/static/']
    policy: bypass
  - domain: app.example.com
    subject: [group:dev, group:ops]
    policy: two_factor
  - domain: app.example.com
    subject: user:pat
    policy: one_factor
  - domain: [both.example.com, other.example.com]
    subject: [[group:dev, group:ops]]
    policy: one_factor
`;

type Who = 'anon' | 'alice' | 'bob' | 'max' | 'zed' | 'pat' | 'dana';
// [who, host, uri, method, client address, status, Remote-Groups when 200]
type Case = [Who, string, string, string, string, number, string?];

const CASES: Case[] = [
  ['anon', 'public.example.com', '/', 'GET', '203.0.113.5', 200],
  ['anon', 'app.example.com', '/', 'GET', '203.0.113.5', 401],
  ['anon', 'unknown.example.com', '/', 'GET', '203.0.113.5', 403],
  ['alice', 'app.example.com', '/', 'GET', '203.0.113.5', 200, 'dev'],
  ['alice', 'APP.example.com:443', '/reports', 'POST', '203.0.113.5', 200, 'dev'],
  ['bob', 'app.example.com', '/api/admin/users', 'GET', '203.0.113.5', 200, 'ops'],
  ['alice', 'app.example.com', '/api/admin/users', 'GET', '203.0.113.5', 403],
  ['alice', 'app.example.com', '/api/administrator', 'GET', '203.0.113.5', 200, 'dev'],
  ['anon', 'app.example.com', '/api/admin', 'GET', '203.0.113.5', 401],
  ['anon', 'app.example.com', '/static/site.css', 'GET', '203.0.113.5', 200],
  ['anon', 'app.example.com', '/static/site.css', 'POST', '203.0.113.5', 401],
  ['zed', 'app.example.com', '/static/site.css', 'POST', '203.0.113.5', 403],
  ['zed', 'app.example.com', '/', 'GET', '203.0.113.5', 403],
  ['pat', 'app.example.com', '/', 'GET', '203.0.113.5', 200, ''],
  ['dana', 'app.example.com', '/', 'GET', '203.0.113.5', 401],
  ['alice', 'both.example.com', '/', 'GET', '203.0.113.5', 403],
  ['max', 'other.example.com', '/', 'GET', '203.0.113.5', 200, 'dev,ops'],
  ['pat', 'a.internal.example.com', '/', 'GET', '10.1.2.3', 200, ''],
  ['pat', 'a.b.internal.example.com', '/', 'GET', 'fd00::1', 200, ''],
  ['pat', 'a.internal.example.com', '/', 'GET', '192.168.1.1', 403],
  ['pat', 'a.internal.example.com', '/', 'GET', '2001:db8::1', 403],
  ['pat', 'internal.example.com', '/', 'GET', '10.1.2.3', 403],
  ['anon', 'a.internal.example.com', '/', 'GET', '10.1.2.3', 401],
  ['anon', 'a.internal.example.com', '/', 'GET', '192.168.1.1', 403],
];

/** Users of the table: keys (aal 2) unless noted, and groups. */
async function signUpCast(app: TestApp, storage: Storage): Promise<Record<Who, HttpClient>> {
  const groups: Record<string, string[]> = { alice: ['dev'], bob: ['ops'], max: ['ops', 'dev'], zed: [], pat: [], dana: ['dev'] };
  const clients = { anon: app.client() } as Record<Who, HttpClient>;
  for (const [name, g] of Object.entries(groups)) {
    const c = app.client();
    // pat and dana sign in with a password only (aal 1; MFA_REQUIRED=false here).
    if (name === 'pat' || name === 'dana') expect((await c.post('/api/accounts', { username: name, password: PASSWORD })).status).toBe(201);
    else await signUpWithKey(c, name);
    const user = (await storage.users.findByUsername(name))!;
    await storage.users.changeGroups(user.id, g, []);
    clients[name as Who] = c;
  }
  return clients;
}

export function forwarded(host: string, uri: string, method: string, ip: string, extra: Record<string, string> = {}) {
  return { headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host, 'X-Forwarded-Uri': uri, 'X-Forwarded-Method': method, 'X-Forwarded-For': ip, ...extra } };
}

function rulesApp(factory: StorageFactory) {
  const t = {} as { app: TestApp; storage: Storage; clients: Record<Who, HttpClient>; dir: string; dispose(): Promise<void> };
  beforeAll(async () => {
    t.dir = mkdtempSync(join(tmpdir(), 'keyward-rules-'));
    writeFileSync(join(t.dir, 'rules.yml'), RULES);
    const created = await factory.create();
    t.storage = created.storage;
    t.dispose = created.dispose;
    t.app = await startTestApp({ storage: t.storage, env: { TRUST_PROXY: 'true', MFA_REQUIRED: 'false', ACCESS_RULES_FILE: join(t.dir, 'rules.yml'), AUTHZ_RETURN_DOMAINS: '.example.com' } });
    t.clients = await signUpCast(t.app, t.storage);
  });
  afterAll(async () => {
    await t.app?.close();
    await t.dispose?.();
    rmSync(t.dir, { recursive: true, force: true });
  });
  return t;
}

describe.each(storageFactories)('access rules over /api/authz ($name)', (factory) => {
  const t = rulesApp(factory);

  it.each(CASES)('%s → %s%s %s from %s: %i', async (who, host, uri, method, ip, status, groups) => {
    const res = await t.clients[who].get('/api/authz', forwarded(host, uri, method, ip));
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (status === 200 && who !== 'anon') {
      expect(res.headers.get('remote-user')).toBe(who);
      expect(res.headers.get('remote-groups')).toBe(groups);
    }
    if (status === 401) expect(new URL(res.headers.get('location')!).searchParams.get('rd')).toBe(`https://${host}${uri}`);
    if (status === 403) expect(res.body).toMatchObject({ error: 'forbidden', message: `You don't have access to ${host.toLowerCase().replace(/:\d+$/, '')}.` });
  });

  it('shows a browser a page saying which app it may not use', async () => {
    const res = await t.clients.zed.request<string>('GET', '/api/authz', { headers: { ...forwarded('app.example.com', '/', 'GET', '203.0.113.5').headers, Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('You don’t have access to app.example.com<');
    expect(res.body).toContain('<strong>zed</strong>');
  });

  it('reads the host and path from X-Original-URL when the proxy sends that', async () => {
    const headers = { 'X-Original-URL': 'https://app.example.com/api/admin/x?y=1', 'X-Forwarded-For': '203.0.113.5' };
    expect((await t.clients.alice.get('/api/authz', { headers })).status).toBe(403);
    expect((await t.clients.bob.get('/api/authz', { headers })).status).toBe(200);
  });

  it('puts the groups in whoami and in the session token', async () => {
    expect((await t.clients.max.get('/api/whoami')).body).toMatchObject({ groups: ['dev', 'ops'] });
    const token = await t.clients.max.post<{ token: string }>('/api/token', {});
    expect(decodeJwt(token.body.token)['groups']).toEqual(['dev', 'ops']);
  });

  it('audits a denial once per person and domain a minute, counting the rest', async () => {
    const denied = () => t.clients.zed.get('/api/authz', forwarded('unknown.example.com', '/x', 'GET', '203.0.113.5'));
    for (let i = 0; i < 5; i++) expect((await denied()).status).toBe(403);
    const zed = (await t.storage.users.findByUsername('zed'))!;
    const events = async () => (await t.storage.audit.query({ userId: zed.id, type: 'access.denied', limit: 50 })).filter((e) => e.details['host'] === 'unknown.example.com');
    expect(await events()).toHaveLength(1);
    t.app.clock.advance(60_001);
    await denied();
    const [latest] = await events();
    expect(latest).toMatchObject({ outcome: 'failure', details: { host: 'unknown.example.com', path: '/x', alsoDeniedInLastWindow: 4, rule: null } });
  });
});
