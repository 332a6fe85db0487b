// The edges of the access rules over /api/authz: every spelling of a denied path is denied
// (the rules judge the path the app will serve), a path with no single reading gets the
// strictest verdict the host's rules give, the query is matched only by `query`, and a
// hostile path under a backtracking-prone regex is answered at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { capturedLogger } from '../helpers/capturedLogger.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { ADMIN_SPELLINGS, AMBIGUOUS, EDGE_RULES, PUBLIC_ESCAPES } from '../helpers/ruleEdges.js';

const forwarded = (host: string, uri: string) => ({
  headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host, 'X-Forwarded-Uri': uri, 'X-Forwarded-Method': 'GET', 'X-Forwarded-For': '203.0.113.5' },
});

type Who = 'anon' | 'pat';
// [who, host, forwarded uri, status]
type Case = [Who, string, string, number];

const CASES: Case[] = [
  // What the rules were written for.
  ['pat', 'app.example.com', '/reports', 200],
  ['pat', 'app.example.com', '/administrator', 200],
  ['pat', 'app.example.com', '/admin', 403],
  ['anon', 'app.example.com', '/public/site.css', 200],
  ['anon', 'app.example.com', '/public/a/../site.css', 200],
  ['anon', 'app.example.com', '/reports', 401],
  // Every other spelling of /admin is /admin.
  ...ADMIN_SPELLINGS.map((uri): Case => ['pat', 'app.example.com', uri, 403]),
  ...ADMIN_SPELLINGS.map((uri): Case => ['anon', 'app.example.com', uri, 403]),
  ...PUBLIC_ESCAPES.map((uri): Case => ['anon', 'app.example.com', uri, 403]),
  // No single reading: the strictest of app.example.com's rules (the deny), for anyone.
  ...AMBIGUOUS.map((uri): Case => ['anon', 'app.example.com', uri, 403]),
  ...AMBIGUOUS.map((uri): Case => ['pat', 'app.example.com', uri, 403]),
  ['pat', 'app.example.com', '/reports%2F2026', 403],
  // A host that denies some paths denies the paths it cannot read; one public throughout does not.
  ['anon', 'query.example.com', '/x%2Fy', 403],
  ['anon', 'open.example.com', '/x%2Fy', 200],
  // The query is matched by `query` alone, after its unreserved characters are decoded.
  ['anon', 'query.example.com', '/x?a=1', 200],
  ['anon', 'query.example.com', '/x?debug=1', 403],
  ['anon', 'query.example.com', '/x?a=1&debug=1', 403],
  ['anon', 'query.example.com', '/x?a=1&de%62ug=1', 403],
  ['anon', 'query.example.com', '/x?a=debug=1', 200],
  ['anon', 'query.example.com', '/y/../debug?a=1', 403],
  ['anon', 'query.example.com', '/x?/debug', 200],
  // The hostile path for ^/(a+)+$ is decided (by the default: deny), a plain one matches.
  ['anon', 'slow.example.com', `/${'a'.repeat(30)}!`, 403],
  ['anon', 'slow.example.com', `/${'a'.repeat(30)}`, 200],
];

describe.each(storageFactories)('access rules at their edges ($name)', (factory) => {
  const t = {} as { app: TestApp; clients: Record<Who, HttpClient>; log: ReturnType<typeof capturedLogger>; dir: string; dispose(): Promise<void> };
  beforeAll(async () => {
    t.dir = mkdtempSync(join(tmpdir(), 'keyward-rule-edges-'));
    writeFileSync(join(t.dir, 'rules.yml'), EDGE_RULES);
    const created = await factory.create();
    t.dispose = created.dispose;
    t.log = capturedLogger();
    t.app = await startTestApp({
      storage: created.storage,
      logger: t.log.logger,
      env: { TRUST_PROXY: 'true', MFA_REQUIRED: 'false', ACCESS_RULES_FILE: join(t.dir, 'rules.yml'), AUTHZ_RETURN_DOMAINS: '.example.com' },
    });
    const pat = t.app.client();
    expect((await pat.post('/api/accounts', { username: 'pat', password: PASSWORD })).status).toBe(201);
    t.clients = { anon: t.app.client(), pat };
  });
  afterAll(async () => {
    await t.app?.close();
    await t.dispose?.();
    rmSync(t.dir, { recursive: true, force: true });
  });

  it.each(CASES)('%s → %s %j: %i', async (who, host, uri, status) => {
    const res = await t.clients[who].get('/api/authz', forwarded(host, uri));
    expect(res.status, JSON.stringify(res.body)).toBe(status);
  });

  it("judges X-Original-URL's path as it judges X-Forwarded-Uri", async () => {
    const urls = ['https://app.example.com/public/../admin', 'https://app.example.com/%61dmin;x', 'https://app.example.com/public/..%2fadmin', 'https://app.example.com/public\\..\\admin'];
    for (const url of urls) {
      const res = await t.clients.anon.get('/api/authz', { headers: { 'X-Original-URL': url, 'X-Forwarded-For': '203.0.113.5' } });
      expect(res.status, url).toBe(403);
    }
    const res = await t.clients.anon.get('/api/authz', { headers: { 'X-Original-URL': 'https://app.example.com/public/%7Esite.css', 'X-Forwarded-For': '203.0.113.5' } });
    expect(res.status).toBe(200);
  });

  it('logs an ambiguous path with why, the rule its raw text met and the rule that decided', async () => {
    const res = await t.clients.anon.get('/api/authz', forwarded('app.example.com', '/public/..%2fadmin'));
    expect(res.status).toBe(403);
    expect(t.log.lines.findLast((l) => l['reason'] === 'encoded_slash')).toMatchObject({
      level: 40,
      host: 'app.example.com',
      uri: '/public/..%2fadmin',
      rawTextRule: 0,
      rule: 1,
      verdict: 'forbidden',
    });
  });

  it('answers a 10 KB hostile path at once, and the next request too', async () => {
    const res = await t.clients.anon.get('/api/authz', forwarded('slow.example.com', `/${'a'.repeat(10_240)}!`));
    expect(res.status).toBe(403);
    expect((await t.clients.anon.get('/healthz')).status).toBe(200);
  });
});
