// A real nginx with the README's auth_request configuration in front of a tiny app:
// anonymous visitors are sent to Keyward's sign-in page, signed-in ones reach the app
// with Remote-User.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { freePort } from '../helpers/freePort.js';
import { startNginx } from '../helpers/nginx.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

/** The nginx snippet exactly as README.md documents it, pointed at this test's ports. */
function readmeSnippet(keywardPort: number, appPort: number): string {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const block = /nginx \(`auth_request`[^\n]*\n\n```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no nginx auth_request snippet');
  return block.replace('http://127.0.0.1:3000/', `http://127.0.0.1:${keywardPort}/`).replace('http://127.0.0.1:8080', `http://127.0.0.1:${appPort}`);
}

describe('nginx auth_request in front of a protected app', () => {
  let keyward: TestApp;
  let dispose: () => Promise<void>;
  let app: Server;
  let nginx: { stop(): Promise<void> };
  let front: string;

  beforeAll(async () => {
    const created = await embeddedFactory.create();
    dispose = created.dispose;
    keyward = await startTestApp({ storage: created.storage, env: { TRUST_PROXY: 'true', AUTHZ_RETURN_DOMAINS: 'localhost' } });
    const appPort = await freePort();
    app = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ remoteUser: req.headers['remote-user'] ?? null, remoteAal: req.headers['remote-aal'] ?? null })));
    await new Promise<void>((r) => app.listen(appPort, '127.0.0.1', r));
    const nginxPort = await freePort();
    nginx = await startNginx(nginxPort, readmeSnippet(Number(new URL(keyward.url).port), appPort));
    front = `http://localhost:${nginxPort}`;
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise<void>((r) => app?.close(() => r()));
    await keyward?.close();
    await dispose?.();
  });

  it('redirects an anonymous visitor to the sign-in page, with the page they wanted as rd', async () => {
    const res = await fetch(`${front}/reports?year=2026`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${keyward.origin}/signin`);
    expect(location.searchParams.get('rd')).toBe(`${front}/reports?year=2026`);
  });

  it('lets a signed-in person through with Remote-User and Remote-AAL', async () => {
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
