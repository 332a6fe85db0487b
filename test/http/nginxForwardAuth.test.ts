// A real nginx with the README's auth_request configuration in front of a tiny app:
// anonymous visitors are sent to Keyward's sign-in page, signed-in ones reach the app
// with Remote-User; with access rules, a person outside the group gets Keyward's 403 page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { startNginx } from '../helpers/nginx.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import type { Storage } from '../../server/storage/port.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { ADMIN_SPELLINGS, AMBIGUOUS, PUBLIC_ESCAPES, edgeRules } from '../helpers/ruleEdges.js';

/** The nginx snippet exactly as docs/protecting-apps.md documents it, pointed at this test's ports. */
function readmeSnippet(keywardPort: number, appPort: number): string {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'protecting-apps.md'), 'utf8');
  const block = /nginx \(`auth_request`[^\n]*\n\n```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/protecting-apps.md has no nginx auth_request snippet');
  return block.replace('http://127.0.0.1:3000/', `http://127.0.0.1:${keywardPort}/`).replace('http://127.0.0.1:8080', `http://127.0.0.1:${appPort}`);
}

/** Keyward, a tiny app that echoes the identity headers, and nginx in front, per test file block. */
function useProxiedApp(env: Record<string, string> = {}) {
  const t = {} as { keyward: TestApp; storage: Storage; front: string; frontPort: number; served: string[] };
  let dispose: () => Promise<void>;
  let app: Server;
  let nginx: { stop(): Promise<void> };

  beforeAll(async () => {
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    t.storage = created.storage;
    t.keyward = await startTestApp({ storage: created.storage, env: { TRUST_PROXY: 'true', AUTHZ_RETURN_DOMAINS: 'localhost', ...env } });
    const appPort = await freePort();
    t.served = [];
    app = createServer((req, res) => {
      // What reached the app, by the marker the test put on the request (the path itself may be mangled on the way).
      t.served.push(String(req.headers['x-test-request'] ?? req.url));
      const echo = { remoteUser: req.headers['remote-user'] ?? null, remoteAal: req.headers['remote-aal'] ?? null, ...(req.headers['remote-groups'] && { remoteGroups: req.headers['remote-groups'] }) };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(echo));
    });
    await new Promise<void>((r) => app.listen(appPort, '127.0.0.1', r));
    const nginxPort = await freePort();
    nginx = await startNginx(nginxPort, readmeSnippet(Number(new URL(t.keyward.url).port), appPort));
    t.front = `http://localhost:${nginxPort}`;
    t.frontPort = nginxPort;
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise<void>((r) => app?.close(() => r()));
    await t.keyward?.close();
    await dispose?.();
  });
  return t;
}

const cookieOf = (c: HttpClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('nginx auth_request in front of a protected app', () => {
  const t = useProxiedApp();

  it('redirects an anonymous visitor to the sign-in page, with the page they wanted as rd', async () => {
    const { front, keyward } = t;
    const res = await fetch(`${front}/reports?year=2026`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${keyward.origin}/signin`);
    expect(location.searchParams.get('rd')).toBe(`${front}/reports?year=2026`);
  });

  it('lets a signed-in person through with Remote-User and Remote-AAL', async () => {
    const { front, keyward } = t;
    const c = keyward.client();
    await signUpWithKey(c, 'alice');
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${front}/reports`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ remoteUser: 'alice', remoteAal: '2' });
    await c.delete('/api/session');
    expect((await fetch(`${front}/reports`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(302);
  });
});

describe('nginx auth_request with access rules (ACCESS_RULES_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-nginx-rules-'));
  const file = join(dir, 'rules.yml');
  writeFileSync(file, 'default_policy: deny\nrules:\n  - domain: localhost\n    subject: group:staff\n    policy: two_factor\n');
  const t = useProxiedApp({ ACCESS_RULES_FILE: file });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function signedIn(name: string, groups: string[]) {
    const c = t.keyward.client();
    await signUpWithKey(c, name);
    await t.storage.users.changeGroups((await t.storage.users.findByUsername(name))!.id, groups, []);
    return cookieOf(c);
  }

  it("shows a signed-in person outside the group Keyward's page: you don't have access", async () => {
    const cookie = await signedIn('outsider', []);
    const res = await fetch(`${t.front}/reports`, { headers: { Cookie: cookie, Accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(`You don’t have access to localhost:${t.frontPort}`);
  });

  it('lets a person in the group reach the app with Remote-Groups', async () => {
    const cookie = await signedIn('member', ['staff', 'ops']);
    const res = await fetch(`${t.front}/reports`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ remoteUser: 'member', remoteAal: '2', remoteGroups: 'ops,staff' });
  });

  it('still sends an anonymous visitor to sign in', async () => {
    expect((await fetch(`${t.front}/reports`, { redirect: 'manual' })).status).toBe(302);
  });
});

/** A GET with the request-target exactly as given (fetch would resolve `..` and `%2e` before sending). */
function rawGet(port: number, target: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers: { Host: `localhost:${port}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('nginx auth_request with access rules: other spellings of a denied path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-nginx-edges-'));
  const file = join(dir, 'rules.yml');
  writeFileSync(file, edgeRules('localhost'));
  const t = useProxiedApp({ ACCESS_RULES_FILE: file, MFA_REQUIRED: 'false' });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let cookie = '';
  beforeAll(async () => {
    const c = t.keyward.client();
    await signUpWithKey(c, 'pat');
    cookie = cookieOf(c);
  });

  const cases: [string, string][] = [
    ...ADMIN_SPELLINGS.map((uri): [string, string] => ['signed in', uri]),
    ...PUBLIC_ESCAPES.map((uri): [string, string] => ['anonymous', uri]),
    ...AMBIGUOUS.flatMap((uri): [string, string][] => [
      ['anonymous', uri],
      ['signed in', uri],
    ]),
  ];

  it('serves the pages the rules allow (the same app, the same nginx)', async () => {
    expect(await rawGet(t.frontPort, '/public/site.css', { 'X-Test-Request': 'public' })).toBe(200);
    expect(await rawGet(t.frontPort, '/reports', { 'X-Test-Request': 'reports', Cookie: cookie })).toBe(200);
    expect(await rawGet(t.frontPort, '/admin', { 'X-Test-Request': 'admin', Cookie: cookie })).toBe(403);
    expect(t.served).toEqual(['public', 'reports']);
  });

  it.each(cases)('never lets the app serve %s %j', async (who, uri) => {
    const id = `${who} ${uri}`;
    const status = await rawGet(t.frontPort, uri, { 'X-Test-Request': id, ...(who === 'signed in' && { Cookie: cookie }) });
    expect(t.served).not.toContain(id);
    expect(status).not.toBe(200);
  });
});
